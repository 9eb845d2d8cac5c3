package dev.rootcause.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Deprecated aliases (CHANGELOG.md, "Renames"): an old name still works and is warned about once per process, however
 * often it is used, so a busy CI pipeline posting the old field does not flood the log.
 */
public final class Deprecations {

    private static final Logger LOG = Logger.getLogger(Deprecations.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private Deprecations() {
    }

    /**
     * Logs {@code message} at WARN the first time {@code key} is seen.
     *
     * @param key     what is deprecated, e.g. {@code changes.source-as-kind}
     * @param message the old name, the new one and what to do, e.g. "POST /api/v1/changes: \"source\": \"deploy\" ..."
     * @return true when this call warned (the first use of {@code key})
     */
    public static boolean warnOnce(String key, String message) {
        if (WARNED.add(key)) {
            LOG.warn("deprecated: " + message);
            return true;
        }
        return false;
    }

    /** Whether {@code key} was warned about (tests). */
    public static boolean warned(String key) {
        return WARNED.contains(key);
    }
}
