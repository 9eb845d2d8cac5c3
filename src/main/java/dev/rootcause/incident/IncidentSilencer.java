package dev.rootcause.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Silences an incident's alerts for a while and records it in the timeline. The silence matches the
 * group's identifying labels (its {@code groupLabels}, the labels Alertmanager grouped by; else the
 * labels all its alerts share) with equality matchers, and is refused when that set is empty, since a
 * silence with no matcher would silence every alert.
 */
@ApplicationScoped
public class IncidentSilencer {

    private final IncidentStore store;
    private final Silences silences;
    private final Clock clock;

    IncidentSilencer(IncidentStore store, Silences silences, Clock clock) {
        this.store = store;
        this.silences = silences;
        this.clock = clock;
    }

    /** A silence made: its id, the labels it matches and when it ends. */
    public record Silenced(String silenceId, Map<String, String> labels, Instant endsAt) {
    }

    /**
     * @throws IncidentNotFoundException for an unknown id
     * @throws IncidentStateException    when the incident has no identifying labels
     * @throws RuntimeException          when the silence could not be created (nothing is recorded then)
     */
    public Silenced silence(long id, String by, Duration duration) throws SQLException {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        Map<String, String> labels = identifyingLabels(incident);
        if (labels.isEmpty()) {
            throw new IncidentStateException("incident " + id + " has no identifying labels (empty groupLabels and"
                    + " commonLabels); a silence without matchers would silence every alert, so none was created");
        }
        Instant now = clock.instant();
        Instant ends = now.plus(duration);
        String silenceId = silences.create(labels, now, ends, by, "rootcause incident " + id + ": " + incident.title());
        store.addTimeline(id, now, "silenced", by, "silenced by " + by + " until " + ends + " (silence " + silenceId
                + ", matching " + labels + ")");
        return new Silenced(silenceId, labels, ends);
    }

    static Map<String, String> identifyingLabels(Incident incident) {
        Map<String, String> labels = new TreeMap<>(incident.groupLabels().isEmpty() ? incident.commonLabels() : incident.groupLabels());
        labels.values().removeIf(v -> v == null || v.isEmpty());
        return labels;
    }
}
