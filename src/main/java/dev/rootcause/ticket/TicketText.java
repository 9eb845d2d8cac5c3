package dev.rootcause.ticket;

/** Text limits the ticket adapters share. */
public final class TicketText {

    private TicketText() {
    }

    /**
     * At most {@code max} UTF-16 characters, ending with {@code note} when cut; never splits a surrogate
     * pair (an emoji is dropped whole rather than halved).
     *
     * @param max the tracker's limit, e.g. GitHub's 65,536 for a body or Jira's 255 for a summary; more than {@code note}'s length
     */
    public static String cut(String text, int max, String note) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - note.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + note;
    }
}
