package dev.rootcause.alert.reading;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an alert (labels, annotations, the {@code generatorURL} its rule's expression travels in) into an
 * {@link AlertReading}: its symptoms, each with why, and its target, with where each part was found.
 * Immutable; make a new one when the vocabulary or the catalogue changes. Docs: docs/alert-reading.md.
 */
public final class AlertReader {

    /** Annotation carrying a non-PromQL alert expression (a Zabbix trigger expression…), read by {@link ForeignExpressions}. */
    public static final String EXPRESSION_ANNOTATION = "rootcause_expression";
    /** Annotation naming the language of {@value #EXPRESSION_ANNOTATION}: {@code zabbix}, {@code datadog}, {@code skywalking}. */
    public static final String LANGUAGE_ANNOTATION = "rootcause_expression_language";

    /**
     * A catalogued service and the labels that name it (the service catalogue's {@code labels:}), as plain data.
     *
     * @param labels label → value; an alert carrying one of these pairs is about this service
     */
    public record CatalogueService(String name, Map<String, String> labels) {
        public CatalogueService {
            labels = Map.copyOf(labels);
        }

        /** The first pair of {@code labels} (by label name) the alert carries, as {@code label=value}, or null. */
        String matching(Map<String, String> alert) {
            return labels.entrySet().stream().filter(e -> e.getValue().equals(alert.get(e.getKey())))
                    .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue()).findFirst().orElse(null);
        }
    }

    private final SymptomReader symptoms;
    private final TargetReader targets;

    /**
     * @param vocabulary what names mean ({@code rules/symptoms.yaml})
     * @param catalogue  the catalogued services whose labels name them
     */
    public AlertReader(Vocabulary vocabulary, List<CatalogueService> catalogue) {
        this.symptoms = new SymptomReader(vocabulary);
        this.targets = new TargetReader(vocabulary, catalogue);
    }

    /**
     * Reads a firing alert.
     *
     * @param labels       its labels ({@code alertname} among them)
     * @param annotations  its annotations ({@code summary}, {@code description}, maybe the pin)
     * @param generatorUrl Alertmanager's {@code generatorURL}, or null (Grafana-managed alerts carry none that
     *                     holds an expression)
     */
    public AlertReading read(Map<String, String> labels, Map<String, String> annotations, String generatorUrl) {
        String promql = expression(generatorUrl);
        String foreign = annotations.get(EXPRESSION_ANNOTATION);
        if (promql == null && foreign != null && !foreign.isBlank()) {
            var read = ForeignExpressions.read(annotations.get(LANGUAGE_ANNOTATION), foreign);
            if (read.isPresent()) {
                return read(labels.get("alertname"), read.get(), foreign.strip(), labels, annotations);
            }
        }
        return readRule(labels.get("alertname"), promql, labels, annotations);
    }

    /**
     * Reads an alert rule or an alert whose expression is known.
     *
     * @param alertname  the alert's name, or null
     * @param expression its PromQL, or null when it has none
     */
    public AlertReading readRule(String alertname, String expression, Map<String, String> labels, Map<String, String> annotations) {
        boolean none = expression == null || expression.isBlank();
        return read(alertname, none ? null : PromQl.read(expression), none ? null : expression, labels, annotations);
    }

    /** @param text the expression as the alert carries it (shown in the report), or null */
    private AlertReading read(String alertname, PromQl.Expression expr, String text, Map<String, String> labels,
            Map<String, String> annotations) {
        List<SymptomReading> read = childrenOverParents(symptoms.read(alertname, labels, annotations, expr));
        Target target = targets.read(labels, expr);
        return new AlertReading(read, target, text, target.isEmpty() ? TargetReader.NO_TARGET : null);
    }

    /**
     * The expression in a Prometheus {@code generatorURL}: its query parameter {@code g0.expr}, URL-decoded
     * (Prometheus' web UI link format, {@code /graph?g0.expr=…&g0.tab=1}).
     *
     * @return the expression, or null when the URL is null, unparsable or carries none
     */
    public static String expression(String generatorUrl) {
        if (generatorUrl == null || generatorUrl.isBlank()) {
            return null;
        }
        String query;
        try {
            query = URI.create(generatorUrl.strip()).getRawQuery();
        } catch (IllegalArgumentException e) {
            int q = generatorUrl.indexOf('?');
            query = q < 0 ? null : generatorUrl.substring(q + 1);
        }
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("g0.expr=")) {
                try {
                    String expr = URLDecoder.decode(pair.substring("g0.expr=".length()), StandardCharsets.UTF_8);
                    return expr.isBlank() ? null : expr;
                } catch (IllegalArgumentException e) {
                    return null; // a broken %-escape: no expression can be trusted
                }
            }
        }
        return null;
    }

    /** {@code saturation} read beside {@code saturation.cpu} says less than it: only the child stays. */
    private static List<SymptomReading> childrenOverParents(List<SymptomReading> read) {
        List<SymptomReading> out = new ArrayList<>();
        for (SymptomReading r : read) {
            boolean parentOfAnother = read.stream().anyMatch(o -> o != r && !o.symptom().equals(r.symptom())
                    && r.symptom().covers(o.symptom()));
            if (!parentOfAnother) {
                out.add(r);
            }
        }
        return out;
    }
}
