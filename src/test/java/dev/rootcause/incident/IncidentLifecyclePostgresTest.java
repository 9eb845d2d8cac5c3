package dev.rootcause.incident;

import dev.rootcause.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The lifecycle contract on PostgreSQL (127.0.0.1:5432, database test; .ci/run starts it). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class IncidentLifecyclePostgresTest extends IncidentLifecycleContract {
}
