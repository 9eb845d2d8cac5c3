package dev.rootcause.incident.effect;

import dev.rootcause.incident.Incident;
import dev.rootcause.report.Report;

/**
 * Where reports are posted for people: Discord, or the log (console). Every call comes from the outbox
 * dispatcher, one at a time, and may be repeated after a failure: implementations pass the given
 * {@code nonce} to the backend so that a repeat does not post twice.
 */
public interface ChatPublisher {

    /**
     * Where an incident's message lives.
     *
     * @param channelId the channel (or thread) holding the incident's report message
     * @param messageId the report message, edited to show the incident's status
     * @param threadId  where follow-ups go, or null when the backend has no threads
     */
    record ChatRef(String channelId, String messageId, String threadId) {
    }

    /**
     * Posts a report about an incident.
     *
     * @param existing the incident's message from an earlier report (a re-diagnosis), or null for the first
     * @param nonce    at most 25 characters, the same on every attempt of this post
     * @return where the message lives (for a re-diagnosis: {@code existing})
     * @throws EffectRetryException when the backend said when to come back
     * @throws RuntimeException     when the chat backend refused or could not be reached
     */
    ChatRef publish(Incident incident, Report report, ChatRef existing, String nonce);

    /**
     * Posts a line in the incident's thread (acknowledged by, resolved after, ticket created).
     *
     * @param nonce at most 25 characters, the same on every attempt
     * @throws RuntimeException when the chat backend refused or could not be reached
     */
    void followUp(Incident incident, ChatRef ref, String text, String nonce);

    /**
     * Posts in the incident's thread that a ticket effect was given up ({@code dead}), with the tracker's
     * reason; where chat has buttons, with a Retry button that puts the incident's dead ticket effects
     * back in line ({@link TicketRetry}), offered to those allowed to create tickets.
     *
     * @param nonce at most 25 characters, the same on every attempt
     * @throws RuntimeException when the chat backend refused or could not be reached
     */
    void effectFailed(Incident incident, ChatRef ref, String text, String nonce);

    /**
     * Edits the incident's message to show its current status (open, acknowledged by, resolved after).
     *
     * @throws RuntimeException when the chat backend refused or could not be reached
     */
    void showStatus(Incident incident, ChatRef ref);

    /**
     * Whether this replica can deliver chat effects now. Discord needs the gateway session, which exactly one
     * replica holds (elected); the others leave chat effects in the outbox for it and deliver ticket effects
     * only. Console chat is always ready.
     */
    default boolean ready() {
        return true;
    }
}
