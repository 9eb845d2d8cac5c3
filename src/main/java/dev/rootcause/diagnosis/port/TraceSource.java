package dev.rootcause.diagnosis.port;

import java.time.Instant;
import java.util.List;

/**
 * A distributed-tracing backend (Zipkin, Jaeger, Tempo, SkyWalking): the traces a service took part in. Adapters map
 * their wire format to {@link Span}s; times are microseconds since the epoch whatever the wire unit.
 */
public interface TraceSource {

    /**
     * Traces with a span of {@code service} in {@code [start, end]}, at most {@code limit} of them (the
     * backend picks which; usually the newest).
     *
     * @throws SourceException status {@code error} (HTTP error, unreadable body, circuit open) or
     *                         {@code timeout}, with the reason
     */
    List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException;

    /** The request as it would be sent for {@link #traces}, for evidence (no credentials). */
    String describe(String service, Instant start, Instant end, int limit);

    /** A link to the trace in the backend's UI, or null when no UI address is configured. */
    String traceLink(String traceId);

    /** The backend's name for evidence, e.g. {@code zipkin}. */
    String name();

    /** One trace: its id (lower-case hex; SkyWalking's as the OAP gives it) and spans in any order, possibly with duplicates or missing parents. */
    record Trace(String traceId, List<Span> spans) {
        public Trace {
            spans = List.copyOf(spans);
        }
    }

    /**
     * One span as reported.
     *
     * @param spanId         lower-case hex (SkyWalking: {@code <segmentId>-<spanId>}, its span ids counting within a
     *                       segment); Zipkin's shared client/server spans repeat the id with kinds CLIENT and SERVER
     * @param parentId       the parent's span id, or null for a root
     * @param service        the service that reported the span
     * @param kind           {@code CLIENT}, {@code SERVER}, {@code PRODUCER}, {@code CONSUMER}, {@code INTERNAL} or null
     * @param peerService    for a client/producer span, the service called ({@code remoteEndpoint.serviceName},
     *                       {@code peer.service}, {@code db.system}, {@code server.address}), or null
     * @param startMicros    start, microseconds since the epoch (the reporter's clock: may be skewed)
     * @param durationMicros duration in microseconds, ≥ 0
     * @param error          the span is marked as failed (Zipkin {@code error} tag, Jaeger {@code error=true},
     *                       OTLP status ERROR)
     * @param errorMessage   the error text when the backend has one, or null
     */
    record Span(String spanId, String parentId, String service, String operation, String kind, String peerService,
            long startMicros, long durationMicros, boolean error, String errorMessage) {

        public Span {
            durationMicros = Math.max(0, durationMicros);
        }

        public long endMicros() {
            return startMicros + durationMicros;
        }

        /** Whether the span is the calling side of a remote call. */
        public boolean outgoing() {
            return "CLIENT".equals(kind) || "PRODUCER".equals(kind);
        }
    }
}
