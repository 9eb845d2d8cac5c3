package dev.rootcause.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and checks {@code conventions.yaml}. Every problem is a {@link RuleException} whose message is
 * {@code conventions.yaml:line: message}.
 */
final class MetricConventionsParser {

    static final Set<String> CONVENTION_KEYS = Set.of("language", "detect", "service_labels", "signals");
    static final Set<String> SIGNAL_KEYS = Set.of("query", "by");
    /** A convention's name: what services.yaml pins, lower case. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    /** Signals are dotted lower-case names, e.g. {@code http.error_ratio}. */
    static final Pattern SIGNAL = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Datadog metric names and tag keys (docs.datadoghq.com/metrics/custom_metrics/#naming-custom-metrics, getting_started/tagging). */
    static final Pattern DD_METRIC = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.]{0,199}");
    static final Pattern DD_TAG = Pattern.compile("[a-zA-Z][a-zA-Z0-9_./-]{0,199}");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final RuleSource source;

    private MetricConventionsParser(String file, String text) {
        this.source = new RuleSource(file, text);
    }

    /**
     * @return conventions by name, in file order
     * @throws RuleException {@code file:line: message}
     */
    static Map<String, MetricConventions.Convention> parse(String file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new RuleException(file + ":" + (at == null ? 1 : at.getLineNr()) + ": " + RuleSource.oneLine(e.getOriginalMessage()));
        }
        return new MetricConventionsParser(file, text).conventions(root);
    }

    private Map<String, MetricConventions.Convention> conventions(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject() || !root.has("conventions") || root.size() != 1 || !root.get("conventions").isObject()) {
            throw source.fail("", "expected a mapping with conventions: {<name>: {detect, service_labels, signals}}");
        }
        Map<String, MetricConventions.Convention> out = new LinkedHashMap<>();
        Map<String, String> groupedIn = new HashMap<>(); // signal -> "by" or "single", and where first seen
        Map<String, String> firstSeen = new HashMap<>();
        for (var e : root.get("conventions").properties()) {
            MetricConventions.Convention c = convention(e.getKey(), e.getValue());
            for (var s : c.signals().entrySet()) {
                String shape = s.getValue().by() == null ? "single" : "by";
                String had = groupedIn.putIfAbsent(s.getKey(), shape);
                firstSeen.putIfAbsent(s.getKey(), c.name());
                if (had != null && !had.equals(shape)) {
                    // a rule's step type (compare vs compare_by) must not depend on the service's convention
                    throw source.fail(s.getKey() + ":", "convention " + c.name() + ": signal " + s.getKey() + " is "
                            + (shape.equals("by") ? "per dependency (by:)" : "one series") + " here but "
                            + (had.equals("by") ? "per dependency" : "one series") + " in " + firstSeen.get(s.getKey()));
                }
            }
            out.put(c.name(), c);
        }
        return out;
    }

    private MetricConventions.Convention convention(String name, JsonNode node) {
        String where = "convention " + name + ": ";
        if (!NAME.matcher(name).matches()) {
            throw source.fail(name + ":", "convention name \"" + name + "\": expected lower-case letters, digits, - (at most 63)");
        }
        if (!node.isObject()) {
            throw source.fail(name + ":", where + "expected a mapping with detect, service_labels, signals");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!CONVENTION_KEYS.contains(k)) {
                throw source.fail(k + ":", where + k + ": unknown key (known: " + String.join(", ", new TreeSet<>(CONVENTION_KEYS)) + ")");
            }
        });
        String language = node.path("language").asText(MetricConventions.PROMQL);
        if (!List.of(MetricConventions.PROMQL, MetricConventions.DATADOG).contains(language)) {
            throw source.fail("language:", where + "language: expected promql or datadog, got " + language);
        }
        boolean dd = MetricConventions.DATADOG.equals(language);
        JsonNode detect = node.get("detect");
        if (detect == null || !detect.isTextual() || !(dd ? DD_METRIC : METRIC).matcher(detect.asText()).matches()) {
            throw source.fail(name + ":", where + "detect: required, a metric name (e.g. http_requests_total)");
        }
        JsonNode labels = node.get("service_labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            throw source.fail(name + ":", where + "service_labels: required, a non-empty list of label names");
        }
        List<String> serviceLabels = new ArrayList<>();
        for (JsonNode l : labels) {
            if (!l.isTextual() || !(dd ? DD_TAG : LABEL).matcher(l.asText()).matches()) {
                throw source.fail("service_labels", where + "service_labels: " + l.asText() + " is not a Prometheus label name");
            }
            serviceLabels.add(l.asText());
        }
        JsonNode signals = node.get("signals");
        if (signals == null || !signals.isObject() || signals.isEmpty()) {
            throw source.fail(name + ":", where + "signals: required, a mapping of signal name → query or {by, query}");
        }
        Map<String, MetricConventions.Signal> out = new LinkedHashMap<>();
        for (var s : signals.properties()) {
            out.put(s.getKey(), signal(where, s.getKey(), s.getValue(), dd ? DD_TAG : LABEL));
        }
        return new MetricConventions.Convention(name, language, detect.asText(), serviceLabels, out);
    }

    private MetricConventions.Signal signal(String where, String name, JsonNode node, Pattern label) {
        String at = where + "signal " + name + ": ";
        if (!SIGNAL.matcher(name).matches()) {
            throw source.fail(name + ":", at + "expected a dotted lower-case name such as http.error_ratio");
        }
        String query;
        String by = null;
        if (node.isTextual()) {
            query = node.asText();
        } else if (node.isObject()) {
            node.fieldNames().forEachRemaining(k -> {
                if (!SIGNAL_KEYS.contains(k)) {
                    throw source.fail(name + ":", at + k + ": unknown key (known: by, query)");
                }
            });
            query = node.path("query").asText("");
            JsonNode b = node.get("by");
            if (b == null || !b.isTextual() || !label.matcher(b.asText()).matches()) {
                throw source.fail(name + ":", at + "by: required in the mapping form, the label that names the dependency");
            }
            by = b.asText();
            if (!query.contains(by)) {
                throw source.fail(name + ":", at + "the query never mentions " + by + " (its answer must be labelled by it)");
            }
        } else {
            throw source.fail(name + ":", at + "expected a PromQL string or {by, query}");
        }
        if (query.isBlank()) {
            throw source.fail(name + ":", at + "query: required, PromQL");
        }
        if (!query.contains("$service_value") && !query.contains("$service")) {
            // without the service in it the query would read every service's traffic
            throw source.fail(name + ":", at + "the query selects no service: use "
                    + (label == DD_TAG ? "$service_label:$service_value" : "$service_label=\"$service_value\"") + " or $service");
        }
        return new MetricConventions.Signal(query, by);
    }
}
