package dev.rootcause.diagnosis.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A log backend (Loki, Elasticsearch/OpenSearch). Queries are templates in the backend's language
 * (LogQL, Lucene query string); {@code $name} placeholders are filled by the adapter, escaped for where
 * they stand.
 */
public interface LogSource {

    /**
     * The query with placeholders filled, exactly as it would be sent.
     *
     * @throws SourceException status {@code error} when a value cannot be placed safely
     */
    String render(String template, Map<String, String> vars) throws SourceException;

    /**
     * Matching lines in {@code [start, end]}, newest first, at most {@code limit} (the adapter may cap it
     * lower at the backend's own limit and says so in {@link Lines#notes()}).
     *
     * @throws SourceException status {@code error} or {@code timeout}, with the backend's reason
     */
    Lines lines(String query, Instant start, Instant end, int limit) throws SourceException;

    /**
     * How many lines match in {@code [start, end]}.
     *
     * @throws SourceException status {@code error} or {@code timeout}, with the backend's reason
     */
    Count count(String query, Instant start, Instant end) throws SourceException;

    /** A link to the backend's (or Grafana's) explore page for the query, or null when none is configured. */
    String link(String query, Instant start, Instant end);

    /** The backend's name for evidence, e.g. {@code loki}. */
    String name();

    /** One line: its time, its stream labels (Loki) or selected fields (Elasticsearch), its text. */
    record Line(Instant time, Map<String, String> labels, String text) {
        public Line {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * @param truncated more lines matched than were returned (a page came back full)
     * @param notes     what the adapter did that a reader should know (limit capped, window split)
     */
    record Lines(List<Line> lines, boolean truncated, List<String> notes) {
        public Lines {
            lines = List.copyOf(lines);
            notes = List.copyOf(notes);
        }
    }

    /**
     * @param lines    matching lines
     * @param lowerBound the backend only counted up to a limit: the true count is at least {@code lines}
     * @param notes    as in {@link Lines}
     */
    record Count(long lines, boolean lowerBound, List<String> notes) {
        public Count {
            notes = List.copyOf(notes);
        }
    }
}
