package dev.rootcause;

import java.util.HashMap;
import java.util.Map;

/**
 * PostgreSQL with this instance's own processing off ({@code rootcause.incidents.processing-enabled=false}):
 * a test plays the replicas itself, claiming deliveries and diagnoses as two replicas would, without the
 * service's processor claiming the same rows.
 */
public class PostgresIntakeOnlyProfile extends PostgresProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("rootcause.incidents.processing-enabled", "false");
        return config;
    }
}
