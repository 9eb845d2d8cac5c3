package dev.rootcause.store;

import dev.rootcause.incident.Leadership;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@link Leadership} with PostgreSQL session-level advisory locks ({@code pg_try_advisory_lock(int, int)},
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS): the holder keeps one pooled
 * connection out of the pool for each role it holds. The lock ends with that session, so a holder that dies
 * (its socket closed by the kernel) frees the role at once; one that vanishes without closing its socket (a
 * lost node) is dropped by the server after its TCP keepalives, set here to about 25 s (10 s idle, then 3
 * probes 5 s apart). On H2 (one replica) every role is held.
 */
@ApplicationScoped
public class AdvisoryLockLeadership implements Leadership {

    private static final Logger LOG = Logger.getLogger(AdvisoryLockLeadership.class);
    /** First key of rootcause's advisory locks: "rc21" in ASCII, so other users of advisory locks can tell them apart. */
    static final int NAMESPACE = 0x72633231;

    private final Database db;
    private final Map<String, Connection> held = new HashMap<>();
    private Boolean postgres;

    AdvisoryLockLeadership(Database db) {
        this.db = db;
    }

    @Override
    public synchronized boolean hold(String role) {
        try {
            if (!postgres()) {
                return true;
            }
        } catch (SQLException e) {
            return false;
        }
        Connection c = held.get(role);
        if (c != null) {
            if (alive(c)) {
                return true;
            }
            LOG.warnf("lost the %s role: its store connection ended", role);
            close(held.remove(role));
        }
        try {
            c = db.connection();
            if (tryLock(c, role)) {
                held.put(role, c);
                LOG.infof("this replica holds the %s role", role);
                return true;
            }
            c.close();
            return false;
        } catch (SQLException e) {
            close(c);
            LOG.debugf(e, "taking the %s role failed", role);
            return false;
        }
    }

    @Override
    public synchronized void release(String role) {
        Connection c = held.remove(role);
        if (c != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, NAMESPACE);
                ps.setInt(2, key(role));
                ps.execute();
            } catch (SQLException e) {
                LOG.debugf(e, "releasing the %s role failed (the connection's end releases it)", role);
            }
            close(c);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        for (String role : Map.copyOf(held).keySet()) {
            release(role);
        }
    }

    private boolean postgres() throws SQLException {
        if (postgres == null) {
            postgres = "PostgreSQL".equals(db.productName());
        }
        return postgres;
    }

    private static boolean tryLock(Connection c, String role) throws SQLException {
        try (Statement s = c.createStatement()) {
            // SET, not set_config: keepalives are per session and take effect on this connection's socket
            s.execute("SET tcp_keepalives_idle = 10");
            s.execute("SET tcp_keepalives_interval = 5");
            s.execute("SET tcp_keepalives_count = 3");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, NAMESPACE);
            ps.setInt(2, key(role));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Whether the lock's session still answers. Generous (10 s): a slow answer on a loaded machine is not a
     * lost lock, and giving the role up for it hands the gateway over for nothing (seen under load 30 on 2 cores).
     */
    private static boolean alive(Connection c) {
        try {
            return c.isValid(10);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A stable 32-bit key per role name (not String.hashCode, which is fine too but says less). */
    static int key(String role) {
        int h = 0x811c9dc5; // FNV-1a
        for (byte b : role.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return h;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debugf(e, "closing a leadership connection failed");
            }
        }
    }
}
