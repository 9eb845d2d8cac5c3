package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.IncidentStateException;
import dev.rootcause.incident.Silences;
import dev.rootcause.incident.effect.ChatFollowUps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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

    private final IncidentRepository store;
    private final Silences silences;
    private final ChatFollowUps chat;
    private final Clock clock;

    IncidentSilencer(IncidentRepository store, Silences silences, ChatFollowUps chat, Clock clock) {
        this.store = store;
        this.silences = silences;
        this.chat = chat;
        this.clock = clock;
    }

    /** A silence made: its id, the labels it matches and when it ends. */
    public record Silenced(String silenceId, Map<String, String> labels, Instant endsAt) {
    }

    /**
     * @throws IncidentNotFoundException for an unknown id
     * @throws IncidentStateException    when the incident has no identifying labels
     * @throws StoreException           when the store fails
     * @throws RuntimeException          when the silence could not be created (nothing is recorded then)
     */
    public Silenced silence(long id, String by, Duration duration) {
        Incident incident = store.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        Map<String, String> labels = identifyingLabels(incident);
        if (labels.isEmpty()) {
            throw new IncidentStateException("incident " + id + " has no identifying labels (empty groupLabels and"
                    + " commonLabels); a silence without matchers would silence every alert, so none was created");
        }
        Instant now = clock.instant();
        Instant ends = now.plus(duration);
        String silenceId = silences.create(labels, now, ends, by, "rootcause incident " + id + ": " + incident.title());
        recorded(id, by, now, new Silenced(silenceId, labels, ends));
        return new Silenced(silenceId, labels, ends);
    }

    /** The timeline entry and the thread's line, together. */
    @Transactional(rollbackOn = Exception.class) // checked exceptions roll back too
    void recorded(long id, String by, Instant at, Silenced s) {
        String text = "silenced by " + by + " until " + s.endsAt() + " (silence " + s.silenceId() + ", matching " + s.labels() + ")";
        store.addTimeline(id, at, "silenced", by, text);
        chat.enqueue(id, "silenced", "S" + text.substring(1), at);
    }

    static Map<String, String> identifyingLabels(Incident incident) {
        Map<String, String> labels = new TreeMap<>(incident.groupLabels().isEmpty() ? incident.commonLabels() : incident.groupLabels());
        labels.values().removeIf(v -> v == null || v.isEmpty());
        return labels;
    }
}
