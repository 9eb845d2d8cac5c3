package dev.rootcause.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests through a tree of services, as Zipkin v2 spans (times in microseconds). A {@link Call} is one
 * service's SERVER span; it calls its downstreams in turn, each through a CLIENT span of its own (1 ms before and
 * after the call) with the downstream's SERVER span under it, 1 ms apart. So on the critical path each service's
 * self time is exactly its {@link Call#selfMillis()}, whatever its depth, and the test can say what share of the
 * path a correct analysis must find.
 */
final class DownstreamTraces {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One service's part of a request.
     *
     * @param service    the service
     * @param selfMillis its own time on the critical path, ms; at least 1 + 3 per downstream (the gaps around the calls)
     * @param calls      its downstreams, called one after the other
     */
    record Call(String service, long selfMillis, List<Call> calls) {

        Call {
            calls = List.copyOf(calls);
            if (selfMillis < 1 + 3L * calls.size()) {
                throw new IllegalArgumentException(service + ": self time " + selfMillis + " ms < the gaps around " + calls.size() + " calls");
            }
        }

        static Call leaf(String service, long selfMillis) {
            return new Call(service, selfMillis, List.of());
        }

        /** Its SERVER span's duration: its own time and its downstreams'. */
        long totalMillis() {
            return selfMillis + calls.stream().mapToLong(Call::totalMillis).sum();
        }

        /** Its own time plus that of every call of {@code service} below it, ms. */
        long selfOf(String name) {
            return (service.equals(name) ? selfMillis : 0) + calls.stream().mapToLong(c -> c.selfOf(name)).sum();
        }

        /** Every service below the root's self time + {@code extra} ms (the root's own stays). */
        Call slower(long extra) {
            return new Call(service, selfMillis, calls.stream().map(c -> c.plus(extra)).toList());
        }

        private Call plus(long extra) {
            return new Call(service, selfMillis + extra, calls.stream().map(c -> c.plus(extra)).toList());
        }

        /** How many spans a request of it sends: its SERVER span, and per call a CLIENT span and the call's own. */
        int spans() {
            return 1 + calls.stream().mapToInt(c -> 1 + c.spans()).sum();
        }
    }

    /** One request: its trace id, start and tree. */
    record Request(String traceId, Instant start, Call root) {

        long totalMillis() {
            return root.totalMillis();
        }
    }

    private DownstreamTraces() {
    }

    /**
     * The root service of {@code root} calling {@code downstreams} in turn: its own time is just the gaps around
     * the calls (1 + 3 per call).
     */
    static Call calling(String service, Call... downstreams) {
        return new Call(service, 1 + 3L * downstreams.length, List.of(downstreams));
    }

    /**
     * {@code n} requests {@code stepSeconds} apart from {@code first}; in request {@code i} every service below the
     * root takes {@code i} ms more than in {@code template} (so the last request is the longest everywhere).
     *
     * @param idPrefix 8 hex digits that keep this window's trace ids apart from the others'
     */
    static List<Request> window(String idPrefix, Instant first, int n, long stepSeconds, Call template) {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // the prefix in both halves: Zipkin indexes traces by the lower 64 bits, which must differ between windows
            out.add(new Request(idPrefix + "00005eed" + idPrefix + String.format("%08x", i), first.plusSeconds(i * stepSeconds),
                    template.slower(i)));
        }
        return out;
    }

    /** Summed critical-path self time of one service over the requests, in ms. */
    static long selfMillis(List<Request> requests, String service) {
        return requests.stream().mapToLong(r -> r.root().selfOf(service)).sum();
    }

    /** The service's share of the requests' critical path: its summed self time over the summed root durations. */
    static double share(List<Request> requests, String service) {
        return selfMillis(requests, service) / (double) requests.stream().mapToLong(Request::totalMillis).sum();
    }

    /** The spans of all requests, ready for {@code POST /api/v2/spans}. */
    static ArrayNode spans(List<Request> requests) {
        ArrayNode out = JSON.createArrayNode();
        for (Request r : requests) {
            long t0 = ChronoUnit.MICROS.between(Instant.EPOCH, r.start());
            String spanPrefix = r.traceId().substring(16, 24) + r.traceId().substring(28); // window prefix, request number
            int[] n = {0};
            String rootId = spanPrefix + String.format("%04x", n[0]++);
            out.add(span(r.traceId(), rootId, null, "post /" + r.root().service(), "SERVER", t0, r.totalMillis() * 1000,
                    r.root().service(), null));
            calls(out, r.traceId(), spanPrefix, n, rootId, r.root(), t0);
        }
        return out;
    }

    private static void calls(ArrayNode out, String traceId, String spanPrefix, int[] n, String serverId, Call call, long startMicros) {
        long cursor = startMicros + 1000;
        for (Call d : call.calls()) {
            long ms = d.totalMillis();
            String clientId = spanPrefix + String.format("%04x", n[0]++);
            String downstreamId = spanPrefix + String.format("%04x", n[0]++);
            out.add(span(traceId, clientId, serverId, "post /" + d.service(), "CLIENT", cursor, (ms + 2) * 1000, call.service(), d.service()));
            out.add(span(traceId, downstreamId, clientId, "post /" + d.service(), "SERVER", cursor + 1000, ms * 1000, d.service(), null));
            calls(out, traceId, spanPrefix, n, downstreamId, d, cursor + 1000);
            cursor += (ms + 2 + 1) * 1000;
        }
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
