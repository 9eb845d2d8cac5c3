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
}
