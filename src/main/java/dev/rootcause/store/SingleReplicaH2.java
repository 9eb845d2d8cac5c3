package dev.rootcause.store;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * H2 serves one replica. Its file is opened by one process (H2's file lock); the multi-replica mechanisms
 * (advisory-lock {@link AdvisoryLockLeadership}, claims across processes) are PostgreSQL's, and on H2 every
 * role counts as held. So a start on H2 reached in a way that lets several processes share it (server mode
 * {@code jdbc:h2:tcp:}, or {@code AUTO_SERVER=TRUE}) is refused, and a second process on a file another
 * holds is told why it cannot start ({@link #explain}).
 */
@ApplicationScoped
public class SingleReplicaH2 {

    private static final Logger LOG = Logger.getLogger(SingleReplicaH2.class);

    /** Where operations docs say how to run several replicas. */
    static final String SEE = "run several replicas on PostgreSQL (docs/operations.md, \"Several replicas\")";

    private final Database db;

    SingleReplicaH2(Database db) {
        this.db = db;
    }

    void onStart(@Observes StartupEvent event) throws SQLException {
        try (Connection c = db.connection()) {
            if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
                return;
            }
            String url = c.getMetaData().getURL();
            String refusal = refusal(url);
            if (refusal != null) {
                throw new IllegalStateException(refusal);
            }
            LOG.infof("store: H2 (%s), a single replica; to %s", url, SEE.substring(4));
        }
    }

    /** Why an H2 URL is refused (it lets several processes share the store), or null. */
    static String refusal(String url) {
        String u = url.toUpperCase(Locale.ROOT);
        if (u.startsWith("JDBC:H2:TCP:") || u.startsWith("JDBC:H2:SSL:") || u.contains("AUTO_SERVER=TRUE")) {
            return "H2 serves one replica, and " + url + " lets several processes share it (server mode or AUTO_SERVER):"
                    + " they would each hold the Discord gateway and claim without locks; use a file URL"
                    + " (jdbc:h2:file:...) for one replica, or " + SEE;
        }
        return null;
    }

    /**
     * A line for the operator when start failed because another process holds the H2 file (H2 error 90020,
     * "Database may be already in use"), or null for any other failure.
     */
    public static String explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if ((t instanceof SQLException s && s.getErrorCode() == 90020)
                    || String.valueOf(t.getMessage()).contains("Database may be already in use")) {
                return "rootcause: the H2 store file is held by another process (a second rootcause on the same ./data?)."
                        + " H2 serves one replica: stop the other process, or " + SEE + ".";
            }
        }
        return null;
    }
}
