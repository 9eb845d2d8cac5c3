package dev.rootcause.chat.discord;

import dev.rootcause.diagnosis.OnDemandDiagnoses;
import dev.rootcause.report.ReportChart;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import org.jboss.logging.Logger;

/**
 * {@code /diagnose service:<name> [window:<dur>] [rule:<id>]}: checks the options (a mistake is answered
 * at once, ephemeral, naming the option), defers the reply at once, runs the diagnosis on the slow pool
 * and sends the report (embed and chart) as the follow-up.
 */
@ApplicationScoped
class DiagnoseCommand {

    private static final Logger LOG = Logger.getLogger(DiagnoseCommand.class);

    private final OnDemandDiagnoses diagnoses;
    private final ServiceNameCache names;

    DiagnoseCommand(OnDemandDiagnoses diagnoses, ServiceNameCache names) {
        this.diagnoses = diagnoses;
        this.names = names;
    }

    void handle(SlashCommandInteractionEvent event, Executor slow) {
        String service = event.getOption("service", OptionMapping::getAsString);
        String rule = event.getOption("rule", OptionMapping::getAsString);
        Duration window;
        try {
            window = OnDemandDiagnoses.window(event.getOption("window", OptionMapping::getAsString));
            diagnoses.check(service, rule);
        } catch (OnDemandDiagnoses.InvalidRequest e) {
            event.reply("Cannot diagnose: " + e.getMessage() + ". Example: `/diagnose service:checkout window:30m`.")
                    .setEphemeral(true).queue();
            return;
        }
        event.deferReply().queue();
        var hook = event.getHook();
        slow.execute(() -> {
            try {
                OnDemandDiagnoses.Result r = diagnoses.run(service, window, rule);
                byte[] chart = ReportChart.render(r.diagnosis()).orElse(null);
                hook.sendMessage(ReportMessage.render(null, r.title(), null, r.diagnosis(), null, chart)).queue();
            } catch (OnDemandDiagnoses.Busy e) {
                hook.sendMessage(e.getMessage()).queue();
            } catch (RuntimeException e) {
                LOG.errorf(e, "/diagnose %s failed", service);
                hook.sendMessage("The diagnosis failed: " + e.getMessage()).queue();
            }
        });
    }

    List<String> complete(String typed) {
        return names.complete(typed);
    }
}
