package dev.rootcause.incident.outbox;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Claiming on H2 2.4. H2 accepts {@code FOR UPDATE SKIP LOCKED}, but inside the service it handed a
 * second claimer rows as they were before the first claim committed; the claim's conditional update
 * turns that into a lost race instead of a second delivery. An H2 file is opened by one process, whose
 * dispatcher is one thread, so H2 needs no parallel claims: only "never twice" is checked here.
 */
@QuarkusTest
class OutboxClaimH2Test extends OutboxClaimContract {

    @Override
    protected boolean claimsInParallel() {
        return false;
    }
}
