package dev.rootcause.incident;

/**
 * Programmatic transaction boundaries, for work that is not one {@code @Transactional} method call. The
 * repositories join the transaction that is active on the calling thread; the store implements this port.
 */
public interface Transactions {

    /**
     * Runs {@code work} in a new transaction (suspending the caller's, if any) and commits it when
     * {@code work} returns; rolls it back when {@code work} throws.
     *
     * @throws RuntimeException what {@code work} threw (after the rollback), or the transaction manager's
     *                          exception when the commit failed (also rolled back)
     */
    void inNewTransaction(Runnable work);
}
