package dev.rootcause.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;

/**
 * A stored change as the API shows it: {@code id}, {@code service}, {@code version}, {@code previousVersion},
 * {@code commitRange}, {@code author}, {@code time}, {@code kind} (deploy, rollback, config, flag, infra, other),
 * {@code source} (the sender, null when unknown; before issue 24 this field held the kind), {@code environment} (null when
 * unknown), {@code link}, {@code receivedAt}, {@code verification} (null when none was asked for).
 */
public record ChangeView(String id, String service, String version, String previousVersion, String commitRange, String author,
        Instant time, String kind, String source, String environment, String link, Instant receivedAt, VerificationView verification) {

    /**
     * @param status            {@code pending}, {@code pass}, {@code fail} or {@code error}
     * @param dueAt             when the comparison runs
     * @param retryAfterSeconds while pending: seconds until due (at least 1), else 0
     * @param result            while pending null; then {@code {"checks": [{check, outcome, maxRatio, minAfter, evidence}]}}
     */
    public record VerificationView(String change, String status, Instant requestedAt, Instant dueAt, Instant decidedAt,
            long retryAfterSeconds, JsonNode result) {
    }

    public static ChangeView of(StoredChange s) {
        var c = s.change();
        return new ChangeView(c.id(), c.service(), c.version(), c.previousVersion(), c.commitRange(), c.author(), c.time(),
                c.kind(), c.source(), c.environment(), c.link(), s.receivedAt(), s.verification() == null ? null : verification(s, null, s.receivedAt()));
    }

    /**
     * @param json reads the stored result; null leaves it out (lists)
     * @param now  for {@code retryAfterSeconds}
     */
    public static VerificationView verification(StoredChange s, ObjectMapper json, Instant now) {
        StoredChange.Verification v = s.verification();
        long wait = "pending".equals(v.status())
                ? Math.max(1, Duration.between(now, v.dueAt()).toSeconds()) : 0;
        JsonNode result = null;
        if (json != null && v.resultJson() != null) {
            try {
                result = json.readTree(v.resultJson());
            } catch (Exception e) {
                throw new IllegalStateException("stored verification result of " + s.change().id() + " unreadable", e);
            }
        }
        return new VerificationView(s.change().id(), v.status(), v.requestedAt(), v.dueAt(), v.decidedAt(), wait, result);
    }
}
