package dev.rootcause.api.alert;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Refused intake on {@code /q/metrics}: {@code rootcause_intake_rejected_total{source, reason}} with reason
 * {@code invalid} (400, the body names the field), {@code unsupported_media_type} (415) or {@code too_large} (413,
 * over {@code rootcause.intake.max-body-size}); each is also counted in
 * {@code rootcause_intake_deliveries_total{outcome="rejected"}}. Source is the intake path's last segment
 * ({@code alertmanager}, {@code grafana}, {@code changes}) or {@code other}: never free text from the request, so
 * a caller cannot make new series.
 */
final class IntakeRejections {

    static final List<String> SOURCES = List.of("alertmanager", "grafana", "changes");
    static final List<String> REASONS = List.of("invalid", "unsupported_media_type", "too_large");

    private IntakeRejections() {
    }

    /** Registers every (source, reason) at 0, so alert rules see a series before the first refusal. */
    static void register(MeterRegistry meters) {
        for (String source : SOURCES) {
            REASONS.forEach(r -> meters.counter("rootcause.intake.rejected", "source", source, "reason", r));
        }
    }

    /** Counts one refusal of a request to {@code path}. */
    static void count(MeterRegistry meters, String path, String reason) {
        String source = sourceOf(path);
        meters.counter("rootcause.intake.rejected", "source", source, "reason", reason).increment();
        meters.counter("rootcause.intake.deliveries", "source", source, "outcome", "rejected").increment();
    }

    static String sourceOf(String path) {
        String last = path == null ? "" : path.replaceAll("/+$", "");
        last = last.substring(last.lastIndexOf('/') + 1);
        return SOURCES.contains(last) ? last : "other";
    }
}
