package dev.rootcause.source.skywalking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link TraceSource} on SkyWalking OAP's GraphQL trace queries (apache/skywalking-query-protocol
 * {@code trace.graphqls} and {@code metadata-v2.graphqls}; the shapes used here are unchanged from OAP 9.1 to the
 * protocol's commit 3e99edc of 2026-04, OAP 10.x). Selected by {@code rootcause.sources.traces.kind=skywalking}; the
 * OAP is the one of {@link SkyWalkingConfig} ({@code rootcause.sources.skywalking.url}, credentials, timeouts).
 *
 * <p>Three kinds of call, all {@code POST <url>/graphql}: {@code findService(serviceName)} for the service's id
 * (null: the OAP knows no such service, {@code no_data}); {@code queryBasicTraces} with that id, the window at minute
 * step, {@code traceState: ALL}, {@code queryOrder: BY_START_TIME} and one page of {@code limit} segments; then the
 * distinct trace ids of those segments read with {@code queryTrace(traceId)}, {@value #BATCH} per request as
 * aliased fields. The optional {@code duration} and {@code debug} arguments are not sent (older OAPs reject
 * unknown arguments); without {@code duration} a BanyanDB-backed OAP looks for the trace in the last day only.
 *
 * <p>Span mapping ({@link #spans}): SkyWalking's span ids count from 0 within a segment, so a span's id here is
 * {@code <segmentId>-<spanId>}; its parent is {@code parentSpanId} in the same segment, or for a segment's first span
 * ({@code parentSpanId = -1}) the span its first ref names ({@code parentSegmentId}, {@code parentSpanId}: the
 * caller's exit span, or the span of another thread). Times are epoch milliseconds (microseconds here, whole
 * milliseconds only). Kind: {@code Entry} → SERVER (CONSUMER on layer MQ), {@code Exit} → CLIENT (PRODUCER on MQ),
 * {@code Local} → INTERNAL; an exit span's {@code peer} (a network address such as {@code payments:8080}, as the
 * topology names a conjectural node) is its peer service. {@code isError} marks failures; the error text is the
 * {@code message} (else {@code error.kind}) of the span's logs.
 *
 * <p>GraphQL {@code errors} with HTTP 200 are failures (status {@code error}), as for every SkyWalking call.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.traces.kind", stringValue = "skywalking")
public class SkyWalkingTraces implements TraceSource {

    /** Traces read per {@code queryTrace} request (aliased fields). */
    static final int BATCH = 20;

    static final String FIND_SERVICE = """
            query ($name: String!) {
              service: findService(serviceName: $name) { id name }
            }""";

    static final String BASIC_TRACES = """
            query ($condition: TraceQueryCondition) {
              result: queryBasicTraces(condition: $condition) {
                traces { segmentId endpointNames duration start isError traceIds }
              }
            }""";

    static final String SPAN_FIELDS = "spans { traceId segmentId spanId parentSpanId refs { traceId parentSegmentId parentSpanId type }"
            + " serviceCode serviceInstanceName startTime endTime endpointName type peer component isError layer"
            + " tags { key value } logs { time data { key value } } }";

    private final SkyWalkingGraphQl api;
    private final String url;
    private final Optional<String> linkTemplate;

    SkyWalkingTraces(SkyWalkingConfig config, ObjectMapper json,
            @ConfigProperty(name = "rootcause.sources.traces.link-template") Optional<String> linkTemplate) {
        this.api = new SkyWalkingGraphQl(config, json);
        this.url = config.url().toString().replaceAll("/+$", "") + "/graphql";
        this.linkTemplate = linkTemplate;
    }

    @Override
    public String name() {
        return "skywalking";
    }

    @Override
    public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
        ObjectNode vars = api.variables();
        vars.put("name", service);
        JsonNode found = api.query("findService", FIND_SERVICE, vars).path("service");
        if (found.isMissingNode() || found.isNull() || found.path("id").asText("").isBlank()) {
            throw new SourceException(Evidence.Status.NO_DATA, "SkyWalking knows no service " + service);
        }
        ObjectNode condition = api.variables();
        condition.put("serviceId", found.path("id").asText());
        condition.set("queryDuration", api.duration(start, end));
        condition.put("traceState", "ALL");
        condition.put("queryOrder", "BY_START_TIME");
        condition.putObject("paging").put("pageNum", 1).put("pageSize", limit);
        ObjectNode basicVars = api.variables();
        basicVars.set("condition", condition);
        JsonNode segments = api.query("queryBasicTraces", BASIC_TRACES, basicVars).path("result").path("traces");
        Set<String> ids = new LinkedHashSet<>();
        segments.forEach(s -> s.path("traceIds").forEach(t -> {
            if (ids.size() < limit && !t.asText("").isBlank()) {
                ids.add(t.asText());
            }
        }));
        List<String> all = List.copyOf(ids);
        List<Trace> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            JsonNode data = api.query("queryTrace", traceQuery(batch.size()), traceVars(batch));
            for (int i = 0; i < batch.size(); i++) {
                List<Span> spans = spans(data.path("t" + i).path("spans"));
                if (!spans.isEmpty()) {
                    out.add(new Trace(batch.get(i), spans));
                }
            }
        }
        return out;
    }

    /** {@code queryTrace} for {@code n} ids, aliased {@code t0 … t<n-1>}, variables {@code $id0 …}. */
    static String traceQuery(int n) {
        StringBuilder params = new StringBuilder();
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < n; i++) {
            params.append(i == 0 ? "" : ", ").append("$id").append(i).append(": ID!");
            fields.append("  t").append(i).append(": queryTrace(traceId: $id").append(i).append(") { ").append(SPAN_FIELDS).append(" }\n");
        }
        return "query (" + params + ") {\n" + fields + "}";
    }

    private ObjectNode traceVars(List<String> ids) {
        ObjectNode vars = api.variables();
        for (int i = 0; i < ids.size(); i++) {
            vars.put("id" + i, ids.get(i));
        }
        return vars;
    }

    /** The spans of one {@code Trace} answer, mapped as the class says; spans without a segment id are left out. */
    public static List<Span> spans(JsonNode spans) {
        List<Span> out = new ArrayList<>();
        for (JsonNode s : spans) {
            String segment = s.path("segmentId").asText("");
            if (segment.isBlank()) {
                continue;
            }
            String parent = null;
            int parentSpan = s.path("parentSpanId").asInt(-1);
            if (parentSpan >= 0) {
                parent = segment + "-" + parentSpan;
            } else if (s.path("refs").isArray() && !s.path("refs").isEmpty()) {
                JsonNode ref = s.path("refs").get(0);
                parent = ref.path("parentSegmentId").asText() + "-" + ref.path("parentSpanId").asInt(0);
            }
            String type = s.path("type").asText("");
            boolean mq = "MQ".equalsIgnoreCase(s.path("layer").asText(""));
            String kind = switch (type) {
                case "Entry" -> mq ? "CONSUMER" : "SERVER";
                case "Exit" -> mq ? "PRODUCER" : "CLIENT";
                case "Local" -> "INTERNAL";
                default -> null;
            };
            String peer = "Exit".equals(type) && !s.path("peer").asText("").isBlank() ? s.path("peer").asText() : null;
            long startMs = s.path("startTime").asLong();
            long endMs = s.path("endTime").asLong(startMs);
            boolean error = s.path("isError").asBoolean(false);
            out.add(new Span(segment + "-" + s.path("spanId").asInt(0), parent, s.path("serviceCode").asText("unknown"),
                    s.path("endpointName").asText(""), kind, peer, startMs * 1000, (endMs - startMs) * 1000, error,
                    error ? errorMessage(s) : null));
        }
        return out;
    }

    private static String errorMessage(JsonNode span) {
        String kind = null;
        for (JsonNode log : span.path("logs")) {
            for (JsonNode kv : log.path("data")) {
                String key = kv.path("key").asText("").toLowerCase(Locale.ROOT);
                if ("message".equals(key)) {
                    return kv.path("value").asText();
                }
                if ("error.kind".equals(key) && kind == null) {
                    kind = kv.path("value").asText();
                }
            }
        }
        return kind;
    }

    @Override
    public String describe(String service, Instant start, Instant end, int limit) {
        return "POST " + url + " queryBasicTraces(service " + service + ", " + SkyWalkingGraphQl.MINUTE.format(start) + " → "
                + SkyWalkingGraphQl.MINUTE.format(end) + " UTC, " + limit + " segments) then queryTrace per trace id";
    }

    /** {@code rootcause.sources.traces.link-template} with {@code {traceId}}; SkyWalking's UI has no stable trace URL. */
    @Override
    public String traceLink(String traceId) {
        return linkTemplate.map(t -> t.replace("{traceId}", traceId)).orElse(null);
    }
}
