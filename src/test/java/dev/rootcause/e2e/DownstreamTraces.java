package dev.rootcause.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests to one service that calls three downstreams in turn (auth, payments, inventory), as Zipkin v2
 * spans (times in microseconds). Per request: the service's SERVER root span; per downstream a CLIENT span
 * of the service (1 ms of its own before and after the call) and the downstream's SERVER span under it.
 * So on the critical path each downstream's self time is exactly its server span's duration, and the
 * test can say what share of the path a correct analysis must find.
 */
final class DownstreamTraces {

    static final List<String> DOWNSTREAMS = List.of("auth", "payments", "inventory");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request.
     *
     * @param traceId          32 hex digits
     * @param start            when the root span starts
     * @param downstreamMillis per downstream (in {@link #DOWNSTREAMS} order), its server span's duration in ms
     */
    record Request(String traceId, Instant start, Map<String, Long> downstreamMillis) {

        /** The root span's duration in ms: 1 ms before the calls, each call + 2 ms, 1 ms between and after them. */
        long totalMillis() {
            long t = 1;
            for (String d : DOWNSTREAMS) {
                t += downstreamMillis.get(d) + 2 + 1;
            }
            return t;
        }
    }

    private DownstreamTraces() {
    }

    /**
     * {@code n} requests {@code stepSeconds} apart from {@code first}; downstream {@code d} of request
     * {@code i} takes {@code millis.get(d) + i} ms (so the last request is the longest in every downstream).
     *
     * @param idPrefix 8 hex digits that keep this window's trace ids apart from the others'
     */
    static List<Request> window(String idPrefix, Instant first, int n, long stepSeconds, Map<String, Long> millis) {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Long> d = new LinkedHashMap<>();
            for (String s : DOWNSTREAMS) {
                d.put(s, millis.get(s) + i);
            }
            // the prefix in both halves: Zipkin indexes traces by the lower 64 bits, which must differ between windows
            out.add(new Request(idPrefix + "00005eed" + idPrefix + String.format("%08x", i), first.plusSeconds(i * stepSeconds), d));
        }
        return out;
    }

    /** Summed server time of one downstream over the requests, in ms. */
    static long selfMillis(List<Request> requests, String downstream) {
        return requests.stream().mapToLong(r -> r.downstreamMillis().get(downstream)).sum();
    }

    /** The downstream's share of the requests' critical path: its summed self time over the summed root durations. */
    static double share(List<Request> requests, String downstream) {
        return selfMillis(requests, downstream) / (double) requests.stream().mapToLong(Request::totalMillis).sum();
    }

    /** The spans of all requests of {@code service}, ready for {@code POST /api/v2/spans}. */
    static ArrayNode spans(String service, List<Request> requests) {
        ArrayNode out = JSON.createArrayNode();
        for (Request r : requests) {
            long t0 = ChronoUnit.MICROS.between(Instant.EPOCH, r.start());
            String spanPrefix = r.traceId().substring(16, 24) + r.traceId().substring(28); // window prefix, request number
            String rootId = spanPrefix + "0000";
            out.add(span(r.traceId(), rootId, null, "post /orders", "SERVER", t0, r.totalMillis() * 1000, service, null));
            long cursor = t0 + 1000;
            int n = 0;
            for (String d : DOWNSTREAMS) {
                long ms = r.downstreamMillis().get(d);
                String clientId = spanPrefix + String.format("%04x", ++n);
                String serverId = spanPrefix + String.format("%04x", ++n);
                out.add(span(r.traceId(), clientId, rootId, "post /" + d, "CLIENT", cursor, (ms + 2) * 1000, service, d));
                out.add(span(r.traceId(), serverId, clientId, "post /" + d, "SERVER", cursor + 1000, ms * 1000, d, null));
                cursor += (ms + 2 + 1) * 1000;
            }
        }
        return out;
    }

    private static ObjectNode span(String traceId, String id, String parentId, String name, String kind, long timestampMicros,
            long durationMicros, String service, String remote) {
        ObjectNode s = JSON.createObjectNode().put("traceId", traceId).put("id", id);
        if (parentId != null) {
            s.put("parentId", parentId);
        }
        s.put("name", name).put("kind", kind).put("timestamp", timestampMicros).put("duration", durationMicros);
        s.putObject("localEndpoint").put("serviceName", service);
        if (remote != null) {
            s.putObject("remoteEndpoint").put("serviceName", remote);
        }
        return s;
    }
}
