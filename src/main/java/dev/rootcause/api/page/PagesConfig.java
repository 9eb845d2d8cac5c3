package dev.rootcause.api.page;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * The incident pages ({@code /incidents}), under {@code rootcause.pages}: how long a login lasts and who may act.
 * Acting follows the Discord buttons' model ({@code rootcause.chat.discord.roles.<action>}): each action has role
 * names, and a person holding one of them may. A login with the API token holds {@link #tokenRoles()}.
 */
@ConfigMapping(prefix = "rootcause.pages")
public interface PagesConfig {

    /** How long a login lasts; the session cookie expires then and the login form asks again. */
    @WithDefault("12h")
    Duration sessionTtl();

    /** The roles a login with {@code rootcause.api.token} holds. */
    @WithDefault("responder")
    List<String> tokenRoles();

    /** Role names allowed to take each action from the pages. */
    Roles roles();

    /** Role names per action; a role nobody holds (e.g. {@code nobody}) refuses the action to all. */
    interface Roles {
        /** May acknowledge (as the Discord Acknowledge button). */
        @WithDefault("responder")
        List<String> ack();

        /** May resolve (as {@code /incident resolve}). */
        @WithDefault("responder")
        List<String> resolve();

        /** May re-run the diagnosis (as the Discord Re-run diagnosis button's {@code reload}). */
        @WithDefault("responder")
        List<String> reload();

        /** May say whether the root cause was right. */
        @WithDefault("responder")
        List<String> feedback();
    }
}
