package dev.rootcause.incident;

import dev.rootcause.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The verdict SQL on PostgreSQL (127.0.0.1:5432, database {@code ROOTCAUSE_TEST_PGDB} or test; .ci/run starts it). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class FeedbackStorePostgresTest extends FeedbackStoreContract {
}
