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

    /**
     * The Java API for intakes other than {@code POST /api/v1/changes} (GitHub, GitLab, Argo CD and PagerDuty webhooks in
     * {@code changes/hooks/}; a vendor adapter such as Datadog's deployment events): stores a change built with
     * {@link ChangeRequest#of} once per id, <em>the first body wins</em>. A later delivery with the same id (a webhook
     * retried, a second status of the same deployment) returns the stored change with {@code created} false, whatever
     * its body: senders retry and re-send, and none of them can act on a 409. Choose ids that name the change in the
     * sender's terms, e.g. {@code github:deployment:<deployment.id>}.
     *
     * <p>Webhooks do not say what ran before: a change without {@code previousVersion} gets the version of the service's
     * latest earlier deploy or rollback in the store (of the same environment when both name one), so that a report can
     * say "was 1.41.3".
     *
     * @param receivedAt when the intake accepted it (the change's time when {@code r.time()} is null)
     * @throws dev.rootcause.incident.StoreException when the store fails (answer 503: the sender retries)
     */
    public Saved record(ChangeRequest change, Instant receivedAt) {
        Optional<StoredChange> existing = find(change.id());
        if (existing.isEmpty()) {
            ChangeRequest r = withPrevious(change, receivedAt);
            if (repository.insert(r, r.bodyHash(HASHING), receivedAt)) {
                return new Saved(find(r.id()).orElseThrow(), true);
            }
        }
        return new Saved(existing.or(() -> find(change.id())).orElseThrow(), false);
    }

    private ChangeRequest withPrevious(ChangeRequest r, Instant receivedAt) {
        if (r.previousVersion() != null) {
            return r;
        }
        Instant at = r.time() == null ? receivedAt : r.time();
        String previous = repository.between(r.service(), Instant.EPOCH, at.minusMillis(1), Set.of("deploy", "rollback"), PAGE).stream()
                .map(StoredChange::change)
                .filter(c -> r.environment() == null || c.environment() == null || r.environment().equals(c.environment()))
                .map(ChangeEvent::version).filter(v -> v != null && !v.equals(r.version())).findFirst().orElse(null);
        return previous == null ? r : new ChangeRequest(r.id(), r.service(), r.version(), previous, r.commitRange(), r.author(), r.time(),
                r.kind(), r.source(), r.environment(), r.link(), r.verify());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper HASHING = new com.fasterxml.jackson.databind.ObjectMapper();

    public Optional<StoredChange> find(String id) {
        return repository.find(id);
    }

    /**
     * Changes of a service (all services when null) since an instant, newest first.
     *
     * @param kinds  the kinds of change to list ({@link ChangeEvent#KINDS}); empty lists every kind
     * @param source only this sender's changes; null: any sender's
     */
    public List<StoredChange> list(String service, Set<String> kinds, String source, Instant since, int limit) {
        return repository.list(service, kinds, source, since, limit);
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
    public List<ChangeEvent> changes(String service, Instant since, Instant until, Set<String> kinds) throws ChangeSourceException {
        try {
            return repository.between(service, since, until, kinds, PAGE).stream().map(StoredChange::change).toList();
        } catch (StoreException e) {
            throw new ChangeSourceException(Evidence.Status.ERROR, "change store unavailable: " + e.getMessage());
        }
    }

    /** True when any change of {@code service} was ever posted (the API hears of it: CI/CD is wired for it). */
    @Override
    public boolean receives(String service) throws ChangeSourceException {
        try {
            return !repository.list(service, Set.of(), null, Instant.EPOCH, 1).isEmpty();
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
