package dev.rootcause.incident;

import java.time.Instant;

/**
 * One step in an incident's history.
 *
 * @param kind    e.g. {@code opened}, {@code alerts}, {@code acknowledged}, {@code resolved},
 *                {@code reopened}, {@code truncated}
 * @param actor   who did it: a user name, or the source ({@code alertmanager}) for automatic steps
 * @param message human-readable detail
 */
public record TimelineEntry(long id, Instant at, String kind, String actor, String message) {
}
