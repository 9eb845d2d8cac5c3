package dev.rootcause.chat.discord;

import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordLimits;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.RuleSet;
import dev.rootcause.rule.load.RuleLoader;
import jakarta.enterprise.context.ApplicationScoped;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;

/** {@code /rules list} (anyone) and {@code /rules reload} (the reload role), answered ephemeral. */
@ApplicationScoped
class RulesCommand {

    private final RuleLoader loader;
    private final Permissions permissions;

    RulesCommand(RuleLoader loader, Permissions permissions) {
        this.loader = loader;
        this.permissions = permissions;
    }

    void handle(SlashCommandInteractionEvent event) {
        if ("reload".equals(event.getSubcommandName())) {
            String why = permissions.refusal(Permissions.RELOAD, event.getMember());
            if (why != null) {
                event.reply(why).setEphemeral(true).queue();
                return;
            }
            loader.reload();
        }
        event.reply(TextCut.cut(describe(), DiscordLimits.CONTENT)).setEphemeral(true).queue();
    }

    private String describe() {
        var set = loader.current();
        if (set.isEmpty()) {
            return "No rule set loaded: " + loader.unavailableReason();
        }
        RuleSet rules = set.get();
        StringBuilder s = new StringBuilder(rules.rules().size() + " rules, loaded " + rules.loadedAt() + ":\n");
        for (Rule r : rules.rules()) {
            s.append("• `").append(r.id()).append("` ").append(r.title()).append(r.ondemand() ? " (on demand)" : "").append('\n');
        }
        if (!rules.errors().isEmpty()) {
            s.append("Errors (the last good version of each file stays in force):\n");
            rules.errors().forEach(e -> s.append("• ").append(e).append('\n'));
        }
        return s.toString();
    }
}
