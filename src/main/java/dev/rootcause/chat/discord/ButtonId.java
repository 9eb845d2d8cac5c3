package dev.rootcause.chat.discord;

import java.util.Optional;

/**
 * Button ids: {@code rc:<action>:<incident id>}, e.g. {@code rc:ack:12} (Discord allows 100 characters).
 *
 * @param action one of {@link #ACK}, {@link #TICKET}, {@link #SILENCE}, {@link #REDIAGNOSE}, {@link #RIGHT}, {@link #WRONG},
 *               {@link #RETRY}
 *               (the wrong-cause modal's id has the same shape)
 */
record ButtonId(String action, long incidentId) {

    static final String ACK = "ack";
    static final String TICKET = "ticket";
    static final String SILENCE = "silence";
    static final String REDIAGNOSE = "rediagnose";
    /** The root cause was right. */
    static final String RIGHT = "right";
    /** The root cause was wrong: opens a modal asking for the actual cause. */
    static final String WRONG = "wrong";
    /** Put the incident's dead ticket effects back in line (under a refused ticket's line in the thread). */
    static final String RETRY = "retry";

    static String of(String action, long incidentId) {
        return "rc:" + action + ":" + incidentId;
    }

    /** The button's action and incident, or empty for an id that is not ours. */
    static Optional<ButtonId> parse(String id) {
        String[] parts = id == null ? new String[0] : id.split(":");
        if (parts.length != 3 || !"rc".equals(parts[0])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ButtonId(parts[1], Long.parseLong(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
