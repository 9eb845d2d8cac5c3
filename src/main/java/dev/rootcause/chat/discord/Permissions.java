package dev.rootcause.chat.discord;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;

/**
 * Who may do what from Discord: each action has role ids ({@code rootcause.chat.discord.roles.<action>});
 * a member holding one of them may. An action with no role configured is refused to everyone, so a
 * forgotten setting never opens it to the whole server.
 */
@ApplicationScoped
class Permissions {

    static final String ACK = "ack";
    static final String RESOLVE = "resolve";
    static final String SILENCE = "silence";
    static final String TICKET = "ticket";
    static final String RELOAD = "reload";
    static final String FEEDBACK = "feedback";

    private final DiscordConfig config;

    Permissions(DiscordConfig config) {
        this.config = config;
    }

    /** Null when allowed; else why not, for an ephemeral reply. */
    String refusal(String action, Member member) {
        List<String> allowed = roles(action).orElse(List.of());
        if (allowed.isEmpty()) {
            return "Nobody may " + action + " from Discord: no role is configured (rootcause.chat.discord.roles." + action + ").";
        }
        if (member != null && member.getRoles().stream().map(Role::getId).anyMatch(allowed::contains)) {
            return null;
        }
        return "You need one of the roles allowed to " + action + " (" + String.join(", ", allowed.stream().map(r -> "<@&" + r + ">").toList())
                + "). Ask an admin to give you one.";
    }

    private Optional<List<String>> roles(String action) {
        DiscordConfig.Roles r = config.roles();
        return switch (action) {
            case ACK -> r.ack();
            case RESOLVE -> r.resolve();
            case SILENCE -> r.silence();
            case TICKET -> r.ticket();
            case RELOAD -> r.reload();
            case FEEDBACK -> r.feedback().or(r::ack); // those who respond may judge, unless set apart
            default -> Optional.empty();
        };
    }
}
