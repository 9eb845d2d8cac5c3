package dev.rootcause.chat.discord;

import java.util.List;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

/**
 * The slash commands, registered in the configured guild at start: {@code /diagnose service:<name>
 * [window:<dur>] [rule:<id>]}, {@code /incident list|show|ack|resolve}, {@code /rules list|reload},
 * {@code /stats [since:<dur>]}.
 */
final class SlashCommands {

    static final String DIAGNOSE = "diagnose";
    static final String INCIDENT = "incident";
    static final String RULES = "rules";
    static final String STATS = "stats";

    private SlashCommands() {
    }

    static List<CommandData> definitions() {
        return List.of(
                Commands.slash(DIAGNOSE, "Diagnose a service now with the on-demand rules")
                        .addOption(OptionType.STRING, "service", "The service, as its metrics label it", true, true)
                        .addOption(OptionType.STRING, "window", "How far back the symptom started, e.g. 30m, 2h (default 30m, at most 7d)")
                        .addOption(OptionType.STRING, "rule", "Run only this rule (its id)"),
                Commands.slash(INCIDENT, "Incidents")
                        .addSubcommands(new SubcommandData("list", "Open, acknowledged and reopened incidents"),
                                new SubcommandData("show", "An incident's status, root cause and ticket")
                                        .addOption(OptionType.INTEGER, "id", "Incident number", true),
                                new SubcommandData("ack", "Acknowledge an incident")
                                        .addOption(OptionType.INTEGER, "id", "Incident number", true),
                                new SubcommandData("resolve", "Resolve an incident")
                                        .addOption(OptionType.INTEGER, "id", "Incident number", true)),
                Commands.slash(RULES, "Diagnosis rules")
                        .addSubcommands(new SubcommandData("list", "The rules in force and load errors"),
                                new SubcommandData("reload", "Reload the rule files now")),
                Commands.slash(STATS, "Response times: to the first report, to acknowledge, to resolve")
                        .addOption(OptionType.STRING, "since", "How far back, e.g. 7d, 12h (default 30d)"));
    }
}
