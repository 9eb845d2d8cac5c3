package dev.rootcause.source.traces;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.diagnosis.port.TraceSource.Span;
import dev.rootcause.diagnosis.port.TraceSource.Trace;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OTLP/JSON traces as Tempo answers them: {@code {"batches": [...]}} (Tempo 1.x/2.x {@code /api/traces})
 * or {@code {"resourceSpans": [...]}} / {@code {"trace": {"resourceSpans": ...}}} (v2 API), with
 * {@code scopeSpans} or the older {@code instrumentationLibrarySpans}. Ids come hex (the OTLP/JSON spec)
 * or base64 (Tempo's protobuf JSON); kinds and status codes as names or numbers; times in nanoseconds
 * as strings.
 */
final class OtlpJson {

    private static final String[] KINDS = {null, "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};

    private OtlpJson() {
    }

    static Trace trace(String traceId, JsonNode body) {
        JsonNode root = body.has("trace") ? body.get("trace") : body;
        JsonNode resources = root.has("batches") ? root.get("batches") : root.path("resourceSpans");
        List<Span> spans = new ArrayList<>();
        for (JsonNode rs : resources) {
            String service = "unknown";
            for (JsonNode a : rs.path("resource").path("attributes")) {
                if ("service.name".equals(a.path("key").asText())) {
                    service = value(a.path("value"));
                }
            }
            JsonNode scopes = rs.has("scopeSpans") ? rs.get("scopeSpans") : rs.path("instrumentationLibrarySpans");
            for (JsonNode scope : scopes) {
                for (JsonNode s : scope.path("spans")) {
                    spans.add(span(service, s));
                }
            }
        }
        return new Trace(traceId.toLowerCase(Locale.ROOT), spans);
    }

    private static Span span(String service, JsonNode s) {
        Map<String, JsonNode> attrs = new HashMap<>();
        s.path("attributes").forEach(a -> attrs.put(a.path("key").asText(), a.path("value")));
        Map<String, JsonNode> tags = new HashMap<>();
        attrs.forEach((k, v) -> tags.put(k, new com.fasterxml.jackson.databind.node.TextNode(value(v))));
        long start = Long.parseLong(s.path("startTimeUnixNano").asText("0"));
        long end = Long.parseLong(s.path("endTimeUnixNano").asText("0"));
        JsonNode code = s.path("status").path("code");
        boolean error = code.isNumber() ? code.asInt() == 2 : "STATUS_CODE_ERROR".equals(code.asText());
        String parent = s.path("parentSpanId").asText("");
        return new Span(id(s.path("spanId").asText()), parent.isEmpty() ? null : id(parent), service, s.path("name").asText(""),
                kind(s.path("kind")), JaegerTraceSource.peer(tags), start / 1000, Math.max(0, end - start) / 1000, error,
                error ? s.path("status").path("message").asText(null) : null);
    }

    private static String kind(JsonNode kind) {
        if (kind.isNumber()) {
            int k = kind.asInt();
            return k > 0 && k < KINDS.length ? KINDS[k] : null;
        }
        String k = kind.asText("");
        return k.startsWith("SPAN_KIND_") && !k.equals("SPAN_KIND_UNSPECIFIED") ? k.substring("SPAN_KIND_".length()) : null;
    }

    /** Hex ids as they are; base64 ones (8 or 16 bytes) decoded to hex. */
    static String id(String raw) {
        if (raw.matches("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}")) {
            return raw.toLowerCase(Locale.ROOT);
        }
        try {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(raw));
        } catch (IllegalArgumentException notBase64) {
            return raw.toLowerCase(Locale.ROOT);
        }
    }

    private static String value(JsonNode v) {
        for (String k : List.of("stringValue", "intValue", "boolValue", "doubleValue")) {
            if (v.has(k)) {
                return v.get(k).asText();
            }
        }
        return v.asText("");
    }
}
