package dev.rootcause.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the flow tests read from the packaged service: the incident of a service once its report and ticket
 * exist, evidence and verdicts, the webhook → report time, and the report and ticket printed for people
 * ({@code System.out}, and appended to {@code $ROOTCAUSE_TRYIT_OUT} when set, which scripts/try-it.sh shows).
 */
final class FlowReports {

    private FlowReports() {
    }

    /** Polls (250 ms) until the incident of {@code service} has a report and a ticket; fails after {@code deadline}. */
    static JsonNode awaitReport(PackagedApp app, String service, Duration deadline) {
        return await().atMost(deadline).pollInterval(Duration.ofMillis(250))
                .until(() -> findIncident(app, service).map(id -> Api.read(app.get("/api/v1/incidents/" + id).body())),
                        i -> i.isPresent() && !i.get().get("report").isNull() && !i.get().get("ticket").isNull())
                .orElseThrow();
    }

    /** The id of the incident whose Alertmanager groupKey names {@code service}, if one was opened. */
    static Optional<Long> findIncident(PackagedApp app, String service) {
        for (JsonNode i : Api.read(app.get("/api/v1/incidents").body())) {
            if (i.get("groupKey").asText().contains("service=\"" + service + "\"")) {
                return Optional.of(i.get("id").asLong());
            }
        }
        return Optional.empty();
    }

    /** finding id → verdict ({@code supports}, {@code rules_out}, {@code no_data}) of the incident's report. */
    static Map<String, String> verdicts(JsonNode incident) {
        Map<String, String> out = new HashMap<>();
        incident.at("/report/findings").forEach(f -> out.put(f.get("id").asText(), f.get("verdict").asText()));
        return out;
    }

    /** The evidence of one step of the incident's report. @throws AssertionError when there is none */
    static JsonNode evidence(JsonNode incident, String step) {
        for (JsonNode e : incident.at("/report/evidence")) {
            if (step.equals(e.get("step").asText())) {
                return e;
            }
        }
        throw new AssertionError("no evidence of step " + step + " in " + incident.at("/report"));
    }

    /** The incident's embedded ticket ({@code GET /api/v1/tickets/{key}}). */
    static JsonNode ticket(PackagedApp app, JsonNode incident) {
        String key = incident.at("/ticket/key").asText();
        var r = app.get("/api/v1/tickets/" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new AssertionError("ticket " + key + " of incident " + incident.get("id") + ": " + r.statusCode() + " " + r.body());
        }
        return Api.read(r.body());
    }

    /**
     * Milliseconds from the first webhook delivery's processing (timeline {@code alerts}, written as intake's
     * stored body is applied) to the stored report (timeline {@code diagnosed}).
     */
    static long webhookToReportMillis(JsonNode incident) {
        Instant alerts = null;
        Instant diagnosed = null;
        for (JsonNode e : incident.get("timeline")) {
            Instant at = Instant.parse(e.get("at").asText());
            if (alerts == null && "alerts".equals(e.get("kind").asText())) {
                alerts = at;
            }
            if (diagnosed == null && "diagnosed".equals(e.get("kind").asText())) {
                diagnosed = at;
            }
        }
        if (alerts == null || diagnosed == null) {
            throw new AssertionError("timeline lacks alerts/diagnosed: " + incident.get("timeline"));
        }
        return Duration.between(alerts, diagnosed).toMillis();
    }

    /** Where {@link #record} unpacks a flow's recordings; the golden reports are replayed from there. */
    static final Path REPLAYED = Path.of("src/test/resources/report/replayed");

    /**
     * Keeps what the real stack answered for this incident, so the golden reports come from real runs: the
     * incident's rule-test export ({@code GET /api/v1/incidents/{id}/rule-test}: the alert, every backend answer
     * as recorded, what the diagnosis concluded) is always written to {@code target/flow-recordings/<name>.zip};
     * with {@code -Drootcause.golden.record=true} it is also unpacked into {@code src/test/resources/report/replayed/<name>/},
     * which {@code ReplayedReportsTest} replays through the rule engine into golden files.
     */
    static void record(PackagedApp app, JsonNode incident, String name) {
        var r = app.getBytes("/api/v1/incidents/" + incident.get("id").asText() + "/rule-test");
        if (r.statusCode() != 200) {
            throw new AssertionError("rule-test export of incident " + incident.get("id") + ": " + r.statusCode());
        }
        try {
            Path zip = Path.of("target/flow-recordings", name + ".zip");
            Files.createDirectories(zip.getParent());
            Files.write(zip, r.body());
            if (!Boolean.getBoolean("rootcause.golden.record")) {
                return;
            }
            Path dir = REPLAYED.resolve(name);
            Files.createDirectories(dir);
            try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(r.body()))) {
                for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    String file = Path.of(e.getName()).getFileName().toString(); // incident-<id>/x.json → x.json
                    Files.write(dir.resolve(file), in.readAllBytes());
                }
            }
            System.out.println("recorded " + name + " into " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints the report and the ticket, with the webhook → report time, so they can be quoted. */
    static void print(String flow, JsonNode incident, JsonNode ticket) {
        String text = "\n==================== " + flow + ": report of incident " + incident.get("id").asText()
                + " (webhook → report " + webhookToReportMillis(incident) + " ms) ====================\n"
                + incident.at("/report/markdown").asText()
                + "\n==================== " + flow + ": ticket " + ticket.get("key").asText() + " (" + ticket.get("status").asText()
                + ", " + ticket.get("url").asText() + ") ====================\n"
                + "title: " + ticket.get("title").asText() + "\n"
                + (ticket.get("body").asText().strip().equals(incident.at("/report/markdown").asText().strip())
                        ? "body: the report above, word for word (" + ticket.get("body").asText().length() + " characters)\n"
                        : "\n" + ticket.get("body").asText() + "\n");
        System.out.println(text);
        String out = System.getenv("ROOTCAUSE_TRYIT_OUT");
        if (out != null && !out.isBlank()) {
            try {
                Files.writeString(Path.of(out), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
