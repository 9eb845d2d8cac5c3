package dev.rootcause.changes;

import dev.rootcause.PostgresProfile;
import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The change API contract on PostgreSQL (127.0.0.1:5432, database ROOTCAUSE_TEST_PGDB). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class ChangeApiPostgresTest extends ChangeApiContract {
}
