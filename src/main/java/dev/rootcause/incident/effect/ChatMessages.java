package dev.rootcause.incident.effect;

import java.time.Instant;
import java.util.Optional;

/**
 * Each incident's chat message and thread, once posted (at most one per incident). Methods join the
 * caller's transaction when there is one and throw {@link dev.rootcause.incident.StoreException} when the
 * store fails.
 */
public interface ChatMessages {

    /** The incident's message, if one was posted. */
    Optional<ChatPublisher.ChatRef> find(long incidentId);

    /** Records the incident's message, posted {@code at}; a second call for the incident changes nothing. */
    void save(long incidentId, ChatPublisher.ChatRef ref, Instant at);

    /**
     * Takes a chat interaction (a button press, a slash command) for this replica: true for the first replica
     * to ask about its id, false for every later copy. Discord delivers an interaction to every gateway session
     * of the bot, and sessions overlap for a moment during a hand-over; only the taker answers. Commits at once
     * (outside any transaction); ids older than a day are forgotten (an interaction's token lasts 15 minutes).
     *
     * @param interactionId the chat's id of the interaction (a Discord snowflake, at most 32 characters)
     */
    boolean take(String interactionId, Instant at);
}
