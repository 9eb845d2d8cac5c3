package dev.rootcause.chat.discord;

import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.effect.ChatMessages;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.events.interaction.GenericInteractionCreateEvent;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.jboss.logging.Logger;

/**
 * Routes Discord interactions: slash commands, {@code /diagnose} autocompletion, report buttons and the
 * Wrong cause modal. JDA
 * calls this on its event thread; anything that may take long (a diagnosis, an Alertmanager call) is
 * deferred at once and finished on a small pool of its own, so Discord's 3 s acknowledgement never waits.
 */
@ApplicationScoped
class DiscordInteractions extends ListenerAdapter {

    private static final Logger LOG = Logger.getLogger(DiscordInteractions.class);

    private final DiagnoseCommand diagnose;
    private final IncidentCommands incidents;
    private final RulesCommand rules;
    private final StatsCommand stats;
    private final ExecutorService slow = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "rootcause-discord");
        t.setDaemon(true);
        return t;
    });

    private final ChatMessages taken;
    private final Clock clock;

    DiscordInteractions(DiagnoseCommand diagnose, IncidentCommands incidents, RulesCommand rules, StatsCommand stats,
            ChatMessages taken, Clock clock) {
        this.stats = stats;
        this.clock = clock;
        this.diagnose = diagnose;
        this.incidents = incidents;
        this.rules = rules;
        this.taken = taken;
    }

    /**
     * True when this replica answers the interaction: Discord sends it to every gateway session of the bot
     * (two overlap for a moment during a hand-over), and an interaction is answered once (a second callback is
     * refused with 40060 "Interaction has already been acknowledged", and its action would run twice). When the
     * store cannot say, it is answered: the action then fails or is idempotent (ack, resolve), and the person
     * sees an answer.
     */
    private boolean mine(GenericInteractionCreateEvent event) {
        try {
            if (taken.take(event.getId(), clock.instant())) {
                return true;
            }
            LOG.infof("interaction %s was taken by another gateway session; not answered here", event.getId());
            return false;
        } catch (StoreException e) {
            LOG.warnf("recording interaction %s failed (%s); answering it", event.getId(), e.getMessage());
            return true;
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        slow.shutdownNow();
        slow.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        if (!mine(event)) {
            return;
        }
        try {
            switch (event.getName()) {
                case SlashCommands.DIAGNOSE -> diagnose.handle(event, slow);
                case SlashCommands.INCIDENT -> incidents.command(event);
                case SlashCommands.RULES -> rules.handle(event);
                case SlashCommands.STATS -> stats.handle(event);
                default -> event.reply("Unknown command /" + event.getName() + ".").setEphemeral(true).queue();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "/%s failed", event.getName());
            if (!event.isAcknowledged()) {
                event.reply("That failed: " + e.getMessage()).setEphemeral(true).queue();
            }
        }
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
        if (!mine(event)) {
            return;
        }
        if (SlashCommands.DIAGNOSE.equals(event.getName()) && "service".equals(event.getFocusedOption().getName())) {
            event.replyChoiceStrings(diagnose.complete(event.getFocusedOption().getValue())).queue();
        } else {
            event.replyChoices().queue();
        }
    }

    @Override
    public void onModalInteraction(ModalInteractionEvent event) {
        if (!mine(event)) {
            return;
        }
        var id = ButtonId.parse(event.getModalId());
        if (id.isEmpty()) {
            event.reply("This form is not rootcause's.").setEphemeral(true).queue();
            return;
        }
        try {
            incidents.modal(event, id.get());
        } catch (RuntimeException e) {
            LOG.errorf(e, "modal %s failed", event.getModalId());
            if (!event.isAcknowledged()) {
                event.reply("That failed: " + e.getMessage()).setEphemeral(true).queue();
            }
        }
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        if (!mine(event)) {
            return;
        }
        var id = ButtonId.parse(event.getComponentId());
        if (id.isEmpty()) {
            event.reply("This button is not rootcause's.").setEphemeral(true).queue();
            return;
        }
        try {
            incidents.button(event, id.get(), slow);
        } catch (RuntimeException e) {
            LOG.errorf(e, "button %s failed", event.getComponentId());
            if (!event.isAcknowledged()) {
                event.reply("That failed: " + e.getMessage()).setEphemeral(true).queue();
            }
        }
    }
}
