package dev.rootcause.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One notification about a group of alerts, as an Alertmanager webhook (v4) or a Grafana unified
 * alerting webhook delivers it. Field names follow Alertmanager's wire names.
 *
 * @param source            where it came from, {@code alertmanager} or {@code grafana}
 * @param receiver          the sender's receiver name
 * @param status            firing when any shown alert fires, else resolved; computed by
 *                          the sender over the <em>shown</em> alerts only
 * @param groupKey          the sender's group key, e.g. {@code {}:{alertname="X"}}; {@code {}:{}} when
 *                          the route groups by nothing
 * @param truncatedAlerts   how many alerts of the group the sender left out ({@code max_alerts})
 * @param alerts            the alerts shown, in the sender's order
 */
public record Notification(String source, String receiver, Alert.Status status, String groupKey,
        Map<String, String> groupLabels, Map<String, String> commonLabels,
        Map<String, String> commonAnnotations, String externalUrl, int truncatedAlerts,
        List<Alert> alerts) {

    public Notification {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(groupKey, "groupKey");
        groupLabels = Map.copyOf(groupLabels);
        commonLabels = Map.copyOf(commonLabels);
        commonAnnotations = Map.copyOf(commonAnnotations);
        alerts = List.copyOf(alerts);
        if (truncatedAlerts < 0) {
            throw new IllegalArgumentException("truncatedAlerts < 0");
        }
    }

    /**
     * The delivery's identity for de-duplication (docs/architecture.md, "Vocabulary"): SHA-256 (hex, 64 chars) over source,
     * groupKey, the sorted set of (fingerprint, status, startsAt) and truncatedAlerts (a change in how
     * many alerts were hidden is news). {@code externalURL} and {@code receiver} are left out on
     * purpose: HA Alertmanager peers differ there.
     */
    public String dedupKey() {
        List<String> tuples = alerts.stream()
                .map(a -> a.fingerprint() + '\u0001' + a.status().wire() + '\u0001' + a.startsAt())
                .sorted()
                .distinct()
                .toList();
        StringBuilder text = new StringBuilder(source).append('\u0000').append(groupKey);
        tuples.forEach(t -> text.append('\u0000').append(t));
        text.append('\u0000').append(truncatedAlerts);
        return sha256(text.toString());
    }

    /** SHA-256 of the UTF-8 bytes, as 64 lower-case hex characters. */
    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
