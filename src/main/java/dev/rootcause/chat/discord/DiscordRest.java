package dev.rootcause.chat.discord;

import dev.rootcause.report.TextCut;
import dev.rootcause.report.render.discord.DiscordLimits;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.requests.Route;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.internal.requests.RestActionImpl;

/**
 * Plain JSON posts and edits by channel id, for channels JDA may not hold in its cache (threads that
 * were archived, or created before a restart). They still go through JDA's requester, so its rate-limit
 * buckets and 429 handling apply.
 */
final class DiscordRest {

    /**
     * Longest wait for one call, 429 waits included. A blocked call would stall the outbox, which
     * delivers one effect at a time; past it the call fails and the outbox retries it (same nonce).
     */
    static final long TIMEOUT_SECONDS = 120;

    private DiscordRest() {
    }

    /**
     * {@code POST channels/{channel}/messages}; blocks until sent.
     *
     * @param body a message object without files ({@code content}, {@code embeds}, {@code nonce},
     *             {@code enforce_nonce}, {@code allowed_mentions}, ...)
     * @return the created message's id
     */
    static String post(JDA jda, String channelId, DataObject body) {
        return new RestActionImpl<String>(jda, Route.Messages.SEND_MESSAGE.compile(channelId), body,
                (response, request) -> response.getObject().getString("id")).timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).complete();
    }

    /** {@code PATCH channels/{channel}/messages/{message}}; blocks until done. Only the given keys change. */
    static void edit(JDA jda, String channelId, String messageId, DataObject body) {
        new RestActionImpl<Void>(jda, Route.Messages.EDIT_MESSAGE.compile(channelId, messageId), body)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).complete();
    }

    /** A text message body that pings nobody, deduplicated by Discord on its nonce. */
    static DataObject text(String content, String nonce) {
        return DataObject.empty().put("content", TextCut.cut(content, DiscordLimits.CONTENT))
                .put("nonce", nonce).put("enforce_nonce", true)
                .put("allowed_mentions", DataObject.empty().put("parse", net.dv8tion.jda.api.utils.data.DataArray.empty()));
    }
}
