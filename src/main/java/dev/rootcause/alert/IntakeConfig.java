package dev.rootcause.alert;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Alert intake, under {@code rootcause.intake}. */
@ConfigMapping(prefix = "rootcause.intake")
public interface IntakeConfig {

    /**
     * Bearer token senders must present ({@code Authorization: Bearer <token>}). Unset: intake answers
     * loopback clients only, and the service logs a warning at start.
     */
    Optional<String> token();

    /**
     * Largest request body accepted, e.g. {@code 16M}; larger bodies are answered {@code 413}.
     * {@code quarkus.http.limits.max-body-size} should be set to the same value (application.properties
     * does) so bodies without a Content-Length are cut off at the same size.
     */
    @WithDefault("16M")
    MemorySize maxBodySize();
}
