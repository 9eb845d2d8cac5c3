package dev.rootcause.ticket;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** What the trackers' crash tests (SIGKILL between a create and its answer) share. */
public final class TicketCrash {

    private TicketCrash() {
    }

    /**
     * The packaged service's configuration: its own H2 file under {@code workDir}, the shipped rules, no
     * Prometheus, and a 2 s claim lease (the effect the killed process held is claimed again after it),
     * plus the tracker's properties.
     */
    public static Map<String, String> config(Path workDir, Map<String, String> tracker) {
        Map<String, String> config = new HashMap<>(tracker);
        config.put("quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + workDir.resolve("data/rootcause")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        config.put("rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString());
        config.put("rootcause.sources.prometheus.url", "http://127.0.0.1:1");
        config.put("rootcause.outbox.lease", "2s");
        return config;
    }

    /** Waits (30 s at most) until the group's incident holds a ticket, and returns the incident. */
    public static JsonNode awaitTicket(PackagedApp app, String groupKey) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode i : Api.read(app.get("/api/v1/incidents").body())) {
                if (i.get("groupKey").asText().equals(groupKey) && !i.get("ticket").isNull()) {
                    return i;
                }
            }
            return null;
        }, Objects::nonNull);
    }
}
