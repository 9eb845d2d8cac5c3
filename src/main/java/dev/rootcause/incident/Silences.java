package dev.rootcause.incident;

import java.time.Instant;
import java.util.Map;

/** Silences alerts at their source (Alertmanager's {@code POST /api/v2/silences}). */
public interface Silences {

    /**
     * Creates a silence of the alerts whose labels equal every given label (equality matchers).
     *
     * @param labels    non-empty: an empty set would silence every alert
     * @param createdBy who asked, as the silence records it
     * @return the silence id the backend gave
     * @throws IllegalStateException when no backend is configured
     * @throws RuntimeException      when the backend refused or could not be reached
     */
    String create(Map<String, String> labels, Instant startsAt, Instant endsAt, String createdBy, String comment);
}
