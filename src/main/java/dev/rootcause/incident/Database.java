package dev.rootcause.incident;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The incident store's datasource: whichever of the named datasources {@code h2} (default) and
 * {@code postgresql} is active at runtime. Quarkus fixes {@code db-kind} at build time, so both are
 * built in and the {@code postgresql} configuration profile switches them (application.properties).
 * Connections join the caller's JTA transaction when there is one.
 */
@ApplicationScoped
public class Database {

    private final AgroalDataSource dataSource;

    Database(@Any InjectableInstance<AgroalDataSource> dataSources) {
        this.dataSource = dataSources.getActive();
    }

    /** A pooled connection; close it (try-with-resources). */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** {@code true} when a connection can be opened and answers a trivial query within 2 seconds. */
    public boolean reachable() {
        try (Connection c = connection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The database product name, e.g. {@code PostgreSQL} or {@code H2}. */
    public String productName() throws SQLException {
        try (Connection c = connection()) {
            return c.getMetaData().getDatabaseProductName();
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** SQLState 23505, unique_violation, on both PostgreSQL and H2. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
