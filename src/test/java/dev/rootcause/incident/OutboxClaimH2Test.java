package dev.rootcause.incident;

import io.quarkus.test.junit.QuarkusTest;

/** Claiming on H2 2.4, which supports {@code FOR UPDATE SKIP LOCKED} in PostgreSQL mode. */
@QuarkusTest
class OutboxClaimH2Test extends OutboxClaimContract {
}
