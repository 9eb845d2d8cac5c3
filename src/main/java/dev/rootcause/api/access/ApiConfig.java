package dev.rootcause.api.access;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The incident API (everything under {@code /api/v1} except intake), under {@code rootcause.api}. */
@ConfigMapping(prefix = "rootcause.api")
public interface ApiConfig {

    /**
     * Bearer token API clients must present. Unset: the API answers loopback clients only, and the
     * service logs a warning at start.
     */
    Optional<String> token();
}
