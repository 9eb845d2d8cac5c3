package dev.rootcause.chat.discord;

/**
 * Discord's message limits (docs/chat-and-tickets.md "Limits", from Discord's API reference "Embed Limits" and "Create
 * Message"), and cutting text to them on character boundaries. Lengths are counted in UTF-16 units, as
 * Discord counts them; a cut never splits a surrogate pair and says how much it left out.
 */
final class DiscordLimits {

    static final int CONTENT = 2000;
    static final int EMBEDS = 10;
    static final int TITLE = 256;
    static final int DESCRIPTION = 4096;
    static final int FIELDS = 25;
    static final int FIELD_NAME = 256;
    static final int FIELD_VALUE = 1024;
    static final int FOOTER = 2048;
    /** All titles, descriptions, field names and values, footers and author names of one message together. */
    static final int EMBED_TOTAL = 6000;
    /** A nonce of a message create. */
    static final int NONCE = 25;

    private DiscordLimits() {
    }

    /**
     * The text, or its beginning plus a note like {@code … [cut 1,234 characters]}, at most {@code max}
     * UTF-16 units in all.
     */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int keep = max - note(text.length()).length();
        for (int i = 0; i < 3; i++) { // the note's own length depends on the count it states
            keep = max - note(text.length() - keep).length();
        }
        keep = Math.max(0, keep);
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never leave half a surrogate pair
        }
        return text.substring(0, keep) + note(text.length() - keep);
    }

    private static String note(int cut) {
        return String.format(java.util.Locale.ROOT, "… [cut %,d characters]", cut);
    }

    /** True when the text was cut by {@link #cut}. */
    static boolean wasCut(String original, String shown) {
        return original != null && shown != null && !original.equals(shown);
    }
}
