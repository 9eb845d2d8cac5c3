package dev.rootcause.source.traces;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyEdge;
import dev.rootcause.diagnosis.port.SourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Zipkin's and Jaeger's dependency link lists ({@code [{"parent","child","callCount",...}]}), which share a shape. */
final class DependencyLinks {

    private DependencyLinks() {
    }

    /**
     * One edge per link with a parent, a child and a positive {@code callCount} (a link with no calls in the
     * window is no evidence of a call); origin {@code origin}.
     *
     * @throws SourceException when the answer is not a list
     */
    static List<DependencyEdge> parse(JsonNode links, String origin) throws SourceException {
        if (!links.isArray()) {
            throw new SourceException(Evidence.Status.ERROR, origin + " dependencies answer is not a list of links");
        }
        List<DependencyEdge> out = new ArrayList<>();
        for (JsonNode l : links) {
            String parent = l.path("parent").asText("");
            String child = l.path("child").asText("");
            if (parent.isBlank() || child.isBlank() || l.path("callCount").asLong(1) <= 0) {
                continue;
            }
            out.add(new DependencyEdge(parent, child, Set.of(origin)));
        }
        return out;
    }

    /** The non-blank strings of a JSON list. */
    static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> {
            if (n.isTextual() && !n.asText().isBlank()) {
                out.add(n.asText());
            }
        });
        return out;
    }
}
