package dev.rootcause.chat.discord;

import dev.rootcause.incident.pipeline.IncidentService;
import dev.rootcause.incident.stats.ResponseTimeStats;
import dev.rootcause.incident.stats.ResponseTimes;
import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordLimits;
import dev.rootcause.rule.Durations;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;

/**
 * {@code /stats [since:<dur>]} (anyone): the response times of {@code GET /api/v1/stats} as a few lines, answered
 * ephemeral: overall, then the services, rules and severities with the most incidents.
 */
@ApplicationScoped
class StatsCommand {

    /** Groups shown per dimension; the API has them all. */
    static final int TOP = 5;

    private final ResponseTimeStats stats;

    StatsCommand(ResponseTimeStats stats) {
        this.stats = stats;
    }

    void handle(SlashCommandInteractionEvent event) {
        OptionMapping option = event.getOption("since");
        String since = option == null ? "30d" : option.getAsString().strip();
        Duration period;
        try {
            period = Durations.parse(since);
        } catch (IllegalArgumentException e) {
            event.reply("since: " + e.getMessage()).setEphemeral(true).queue();
            return;
        }
        event.reply(TextCut.cut(describe(since, stats.over(period)), DiscordLimits.CONTENT)).setEphemeral(true).queue();
    }

    /** The answer's text, e.g. {@code **Response times, last 30d** (12 incidents, 1 reopened) …}. */
    static String describe(String since, ResponseTimes.Summary s) {
        ResponseTimes.Group all = s.overall();
        StringBuilder out = new StringBuilder("**Response times, last ").append(since).append("** (").append(all.incidents())
                .append(all.incidents() == 1 ? " incident" : " incidents").append(", ").append(all.reopened()).append(" reopened")
                .append(s.truncated() ? "; only the latest " + ResponseTimeStats.MAX_INCIDENTS + " read" : "").append(")\n");
        if (all.incidents() == 0) {
            return out.append("No incident opened in that period.").toString();
        }
        out.append("From the first alert's start, median / p90:\n").append(line("All", all));
        section(out, "By service", s.byService());
        section(out, "By rule", s.byRule());
        section(out, "By severity", s.bySeverity());
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<ResponseTimes.Group> groups) {
        out.append("__").append(title).append("__").append(groups.size() > TOP ? " (top " + TOP + " of " + groups.size() + ")" : "")
                .append('\n');
        groups.stream().limit(TOP).forEach(g -> out.append(line("`" + g.key() + "` " + g.incidents(), g)));
    }

    private static String line(String head, ResponseTimes.Group g) {
        return "• " + head + ": report " + figures(g.firstReport()) + " · ack " + figures(g.acknowledge()) + " · resolve "
                + figures(g.resolve()) + "\n";
    }

    private static String figures(ResponseTimes.Figures f) {
        String pending = f.pending() == 0 ? "" : " (" + f.pending() + " not yet)";
        return f.count() == 0 ? "–" + pending
                : IncidentService.human(Duration.ofSeconds(f.p50Seconds())) + " / " + IncidentService.human(Duration.ofSeconds(f.p90Seconds()))
                        + pending;
    }
}
