package dev.rootcause.diagnosis.step.graph;

import java.util.Locale;

/**
 * The symptom a walk follows down the dependency graph, and the {@code conventions.yaml} signals that measure it:
 * the server side of each component, or, when a component has no server metrics, its callers' client side.
 */
public enum WalkSignal {

    /** Request latency: server p99 (seconds), client mean call time (seconds). */
    LATENCY("http.latency_p99", "http.client_latency_mean", "p99", "client mean", 1.5, 0.0),
    /** Failed requests: server 5xx ratio (0-1), client failed-call ratio (0-1). */
    ERRORS("http.error_ratio", "http.client_error_ratio", "5xx", "client errors", 3.0, 0.01);

    private final String server;
    private final String client;
    private final String serverName;
    private final String clientName;
    private final double minRatio;
    private final double minAfter;

    WalkSignal(String server, String client, String serverName, String clientName, double minRatio, double minAfter) {
        this.server = server;
        this.client = client;
        this.serverName = serverName;
        this.clientName = clientName;
        this.minRatio = minRatio;
        this.minAfter = minAfter;
    }

    /** {@code latency} or {@code errors}, as rule files write it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code latency} or {@code errors} */
    public static WalkSignal of(String wire) {
        for (WalkSignal s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("signal: expected latency or errors, got " + wire);
    }

    /** The server-side signal of conventions.yaml, one series per service. */
    public String serverSignal() {
        return server;
    }

    /** The client-side signal of conventions.yaml, one series per dependency. */
    public String clientSignal() {
        return client;
    }

    /** How a hop names the measure: {@code p99}, {@code client mean}, {@code 5xx}, {@code client errors}. */
    String label(boolean clientSide) {
        return clientSide ? clientName : serverName;
    }

    /** The default least after / before for an anomaly (latency 1.5, errors 3). */
    public double minRatio() {
        return minRatio;
    }

    /** The default level an anomaly must pass after the onset (errors: 1 %; latency: none). */
    public double minAfter() {
        return minAfter;
    }

    /**
     * A value as a hop shows it: latency in ms below 10 ms before the onset, else in s; errors in %.
     * E.g. {@code 0.21→1.9 s}, {@code 3→1600 ms}, {@code 0.2%→35%}.
     */
    String range(double before, double after) {
        if (this == ERRORS) {
            return num(100 * before) + "%→" + num(100 * after) + "%";
        }
        return before < 0.01 ? num(1000 * before) + "→" + num(1000 * after) + " ms" : num(before) + "→" + num(after) + " s";
    }

    /** Two significant digits, no exponent, trailing zeros cut. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == 0) {
            return "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(2));
        return d.stripTrailingZeros().toPlainString();
    }
}
