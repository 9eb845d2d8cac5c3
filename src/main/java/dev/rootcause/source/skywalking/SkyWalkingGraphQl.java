package dev.rootcause.source.skywalking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.BackendHttp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * SkyWalking OAP's GraphQL query API ({@code POST <url>/graphql}; apache/skywalking docs/en/api/query-protocol.md,
 * schema in apache/skywalking-query-protocol), through {@link BackendHttp} (retries of 5xx/429, circuit breaker,
 * timeouts).
 *
 * <p>GraphQL errors arrive with HTTP 200 as {@code {"errors": [{"message", ...}], "data": ...}}: they are failures
 * (status {@code error}, the messages in the reason), never empty data, even when {@code data} is partly filled.
 */
final class SkyWalkingGraphQl {

    /**
     * The OAP's {@code Duration} at {@code MINUTE} step: {@code yyyy-MM-dd HHmm}. The OAP reads it in its own time
     * zone; OAPs run in UTC in the images Apache publishes, and rootcause assumes UTC (docs/skywalking.md).
     */
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HHmm").withZone(ZoneOffset.UTC);

    private final BackendHttp http;
    private final ObjectMapper json;

    SkyWalkingGraphQl(SkyWalkingConfig config, ObjectMapper json) {
        this.http = new BackendHttp("SkyWalking", config);
        this.json = json;
    }

    /** A {@code Duration} input from {@code start} to {@code end} at minute step. */
    ObjectNode duration(Instant start, Instant end) {
        ObjectNode d = json.createObjectNode();
        d.put("start", MINUTE.format(start));
        d.put("end", MINUTE.format(end));
        d.put("step", "MINUTE");
        return d;
    }

    ObjectNode variables() {
        return json.createObjectNode();
    }

    /**
     * Runs {@code query} and answers its {@code data}.
     *
     * @throws SourceException {@code error} for an answer with {@code errors}, without {@code data}, not JSON, or an
     *                         HTTP failure; {@code timeout} when no answer came in time
     */
    JsonNode query(String name, String query, ObjectNode variables) throws SourceException {
        ObjectNode request = json.createObjectNode();
        request.put("query", query);
        request.set("variables", variables);
        String body;
        try {
            body = http.postJson("/graphql", json.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new SourceException(Evidence.Status.ERROR, "SkyWalking request not writable: " + e.getOriginalMessage());
        }
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SourceException(Evidence.Status.ERROR, "SkyWalking " + name + " answered something other than JSON: " + cut(body));
        }
        JsonNode errors = answer == null ? null : answer.get("errors");
        if (errors != null && errors.isArray() && !errors.isEmpty()) {
            StringBuilder text = new StringBuilder();
            errors.forEach(e -> text.append(text.isEmpty() ? "" : "; ").append(e.path("message").asText("error")));
            throw new SourceException(Evidence.Status.ERROR, "SkyWalking " + name + " failed: " + cut(text.toString()));
        }
        JsonNode data = answer == null ? null : answer.get("data");
        if (data == null || data.isNull()) {
            throw new SourceException(Evidence.Status.ERROR, "SkyWalking " + name + " answered neither data nor errors: " + cut(body));
        }
        return data;
    }

    private static String cut(String body) {
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
