package dev.rootcause.incident.pipeline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * The group-commit tests on PostgreSQL 15 (127.0.0.1:5432, database {@code ROOTCAUSE_TEST_PGDB}, default
 * {@code test}), each in a schema of its own: the multi-row insert's {@code ON CONFLICT DO NOTHING} and its
 * returned (id, dedup_key) pairs behave as on H2.
 */
class DeliveryGroupCommitPostgresTest extends DeliveryGroupCommitTest {

    @Override
    protected String freshDatabase() {
        String schema = "gc" + System.nanoTime();
        String db = System.getenv().getOrDefault("ROOTCAUSE_TEST_PGDB", "test");
        String url = "jdbc:postgresql://127.0.0.1:5432/" + db + "?currentSchema=" + schema;
        Flyway.configure().dataSource(url, user(), "").schemas(schema).locations("db/migration").load().migrate();
        return url;
    }

    @Override
    protected void dropDatabase(String url) throws SQLException {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url, user(), ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override
    protected String user() {
        return "postgres";
    }
}
