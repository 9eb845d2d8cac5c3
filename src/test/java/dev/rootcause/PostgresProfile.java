package dev.rootcause;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Runs a {@code @QuarkusTest} on PostgreSQL instead of H2: the same switch an operator makes with the
 * {@code postgresql} profile, spelled out because a test profile replaces the active profile.
 */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.h2.active", "false",
                "quarkus.datasource.postgresql.active", "true",
                "quarkus.flyway.postgresql.clean-at-start", "true",
                "quarkus.flyway.postgresql.clean-disabled", "false");
    }
}
