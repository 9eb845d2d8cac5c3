package dev.rootcause.changes;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.incident.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The changes posted to the API, kept in the incident store ({@link ChangeRepository}). Also the
 * {@code api} {@link ChangeSource} the {@code changes.*} steps read. Methods throw
 * {@link StoreException} when the store fails.
 */
@ApplicationScoped
public class ChangeStore implements ChangeSource {

    /** Most changes one {@link #changes} call returns. */
    static final int PAGE = 100;

    private final ChangeRepository repository;

    ChangeStore(ChangeRepository repository) {
        this.repository = repository;
    }

    /** The outcome of {@link #save}: the stored record and whether this call created it. */
    public record Saved(StoredChange stored, boolean created) {
    }

    /** Same id, different body: answered 409. */
    public static final class Conflict extends RuntimeException {
        public final StoredChange existing;

        Conflict(StoredChange existing) {
            super("change " + existing.change().id() + " exists with a different body; use a new id for a new change");
            this.existing = existing;
        }
    }

    /**
     * Stores a change once per id. A retry with the same body returns the stored record ({@code created} false);
     * concurrent first posts race on the primary key and the loser reads the winner's row.
     *
     * @throws Conflict when the id exists with a different body
     */
    public Saved save(ChangeRequest r, String bodyHash, Instant receivedAt) {
        Optional<StoredChange> existing = find(r.id());
        if (existing.isEmpty()) {
            if (repository.insert(r, bodyHash, receivedAt)) {
                return new Saved(find(r.id()).orElseThrow(), true);
            }
            existing = find(r.id());
        }
        StoredChange stored = existing.orElseThrow();
        if (!stored.bodyHash().equals(bodyHash)) {
            throw new Conflict(stored);
        }
        return new Saved(stored, false);
    }

    public Optional<StoredChange> find(String id) {
        return repository.find(id);
    }

    /**
     * Changes of a service (all services when null) since an instant, newest first.
     *
     * @param sources the kinds of change to list ({@link ChangeEvent#SOURCES}); empty lists every kind
     */
    public List<StoredChange> list(String service, Set<String> sources, Instant since, int limit) {
        return repository.list(service, sources, since, limit);
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException {
        return changes(service, since, until, Set.of());
    }

    /** Filtered by the store, so that the page of {@value #PAGE} holds only the kinds asked for. */
    @Override
    public List<ChangeEvent> changes(String service, Instant since, Instant until, Set<String> sources) throws ChangeSourceException {
        try {
            return repository.between(service, since, until, sources, PAGE).stream().map(StoredChange::change).toList();
        } catch (StoreException e) {
            throw new ChangeSourceException(Evidence.Status.ERROR, "change store unavailable: " + e.getMessage());
        }
    }

    /** True when any change of {@code service} was ever posted (the API hears of it: CI/CD is wired for it). */
    @Override
    public boolean receives(String service) throws ChangeSourceException {
        try {
            return !repository.list(service, Set.of(), Instant.EPOCH, 1).isEmpty();
        } catch (StoreException e) {
            throw new ChangeSourceException(Evidence.Status.ERROR, "change store unavailable: " + e.getMessage());
        }
    }

    /** Asks for a verification unless one exists; returns whether this call asked. */
    boolean requestVerification(String id, Instant requestedAt, Instant dueAt) {
        return repository.requestVerification(id, requestedAt, dueAt);
    }

    /** Verifications due at {@code now}, oldest first. */
    List<StoredChange> dueVerifications(Instant now, int limit) {
        return repository.dueVerifications(now, limit);
    }

    /** Records a verdict once: only a pending verification is decided (a concurrent decider loses quietly). */
    boolean decide(String id, String status, Instant decidedAt, String resultJson) {
        return repository.decide(id, status, decidedAt, resultJson);
    }
}
