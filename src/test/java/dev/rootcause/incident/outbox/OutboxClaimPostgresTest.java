package dev.rootcause.incident.outbox;

import dev.rootcause.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Claiming on PostgreSQL (ROOTCAUSE_TEST_PGDB, default database test). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class OutboxClaimPostgresTest extends OutboxClaimContract {
}
