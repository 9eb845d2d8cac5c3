package dev.rootcause.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    /**
     * Runs one INSERT/UPDATE/DELETE with positional arguments (set with {@code setObject}); joins the
     * caller's transaction.
     *
     * @return the number of rows changed
     */
    public int update(String sql, Object... args) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Runs a query whose single result is a number, e.g. {@code SELECT COUNT(*) ...}. */
    public long count(String sql, Object... args) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** SQLState 23505, unique_violation, on both PostgreSQL and H2. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
