package dev.rootcause.diagnosis.port;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where changes to services are known: the changes posted to the API, a Kubernetes cluster's rollout history.
 * The steps {@code changes.latest} and {@code changes.diff} ask every configured source.
 */
public interface ChangeSource {

    /** The backend's name for evidence, e.g. {@code api} or {@code kubernetes}. */
    String name();

    /**
     * Changes of {@code service} that took effect in {@code [since, until]}, newest first.
     *
     * @throws ChangeSourceException when the backend cannot answer (status {@code error} or {@code timeout}, reason safe to show)
     */
    List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException;

    /**
     * Changes of {@code service} in {@code [since, until]} whose {@code kind} is one of {@code kinds}
     * (values of {@link ChangeEvent#KINDS}), newest first. A backend that can filter itself overrides this,
     * so that many deploys cannot crowd a config change out of its page.
     *
     * @throws ChangeSourceException as {@link #changes(String, Instant, Instant)}
     */
    default List<ChangeEvent> changes(String service, Instant since, Instant until, Set<String> kinds) throws ChangeSourceException {
        return changes(service, since, until).stream().filter(c -> kinds.contains(c.kind())).toList();
    }

    /**
     * Whether any change of {@code service} has ever reached this source (at any time, of any kind). A lookup that
     * found nothing is "no change" only when the source hears of the service's changes at all; otherwise nothing
     * reaches rootcause for it and the change rules are "not checked", never "ruled out". A source that lists a
     * service's changes from the platform itself (Kubernetes rollout history) keeps the default, true.
     *
     * @throws ChangeSourceException when the backend cannot answer
     */
    default boolean receives(String service) throws ChangeSourceException {
        return true;
    }
}
