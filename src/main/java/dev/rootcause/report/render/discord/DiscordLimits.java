package dev.rootcause.report.render.discord;

/**
 * Discord's message limits (docs/chat-and-tickets.md "Limits", from Discord's API reference "Embed Limits" and "Create
 * Message"), in UTF-16 units as Discord counts them. Text is cut to them with
 * {@link dev.rootcause.report.TextCut#cut(String, int)}, which says how much it left out.
 */
public final class DiscordLimits {

    public static final int CONTENT = 2000;
    public static final int EMBEDS = 10;
    public static final int TITLE = 256;
    public static final int DESCRIPTION = 4096;
    public static final int FIELDS = 25;
    public static final int FIELD_NAME = 256;
    public static final int FIELD_VALUE = 1024;
    public static final int FOOTER = 2048;
    /** All titles, descriptions, field names and values, footers and author names of one message together. */
    public static final int EMBED_TOTAL = 6000;
    /** A nonce of a message create. */
    public static final int NONCE = 25;

    private DiscordLimits() {
    }
}
