package dev.rootcause.incident;

/**
 * Roles that exactly one replica may hold at a time, for what cannot be claimed row by row: Discord's
 * gateway session (one per bot; Discord delivers every interaction to every session). The store implements
 * it: on PostgreSQL a session-level advisory lock on a connection held for the purpose (released by
 * PostgreSQL the moment that connection ends, e.g. when the holder is {@code kill -9}-ed); on H2, a single
 * replica by definition, every role is always held.
 *
 * <p>Holding a role is not fencing: a holder cut off from the store may act a little longer before it
 * notices. What it does is fenced elsewhere (outbox claim tokens for posts, {@code chat_interaction} for
 * interactions), so an overlap costs a second session for a few seconds, never a second answer.
 */
public interface Leadership {

    /**
     * Takes the role if nobody holds it, or checks this replica still holds it (its connection is alive).
     * Call it every election interval; it never blocks on another holder.
     *
     * @param role a short name, e.g. {@code discord-gateway}
     * @return true while this replica holds the role
     * @throws StoreException never: a store failure means the role is not (or no longer) held, false
     */
    boolean hold(String role);

    /** Gives the role up (at shutdown), so another replica takes it at its next election tick. */
    void release(String role);
}
