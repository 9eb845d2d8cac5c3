package dev.rootcause.diagnosis.port;

/**
 * A metrics adapter that can serve as <em>the</em> {@link MetricsSource}: every adapter declares this type (and
 * not {@code MetricsSource} itself, with {@code @Typed}), and {@code diagnosis/engine/MetricsBackends} produces the
 * one whose {@link #name()} equals {@code rootcause.sources.metrics.kind} ({@code prometheus} by default,
 * {@code datadog}).
 */
public interface MetricsBackend extends MetricsSource {
}
