package dev.rootcause.alert.reading;

import java.util.List;
import java.util.Map;

/**
 * Reads what an alert is about: the service from the catalogue's label mappings first (the operator's own
 * word), then per kind the labels the vocabulary lists for it ({@code service}, {@code job}, {@code application}
 * …), then the expression's own equality matchers ({@code job="checkout"}).
 */
final class TargetReader {

    /** The one line an alert without a target gets. */
    static final String NO_TARGET = "no label or matcher names a service, pod, node or instance";
    /** A regex matcher's value that is one plain name. */
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private final Vocabulary vocabulary;
    private final List<AlertReader.CatalogueService> catalogue;

    TargetReader(Vocabulary vocabulary, List<AlertReader.CatalogueService> catalogue) {
        this.vocabulary = vocabulary;
        this.catalogue = List.copyOf(catalogue);
    }

    Target read(Map<String, String> labels, PromQl.Expression expression) {
        Target target = Target.NONE;
        for (AlertReader.CatalogueService s : catalogue) {
            String pair = s.matching(labels);
            if (pair != null) {
                target = target.with("service", s.name(), "catalogue labels of " + s.name() + ": " + pair);
                break;
            }
        }
        for (String kind : Target.KINDS) {
            for (String label : vocabulary.targetLabels().getOrDefault(kind, List.of())) {
                String value = labels.get(label);
                if (!target.has(kind) && usable(kind, value)) {
                    target = target.with(kind, value, "label " + label);
                }
            }
        }
        if (expression == null) {
            return target;
        }
        for (PromQl.Selector s : expression.selectors()) {
            for (PromQl.Matcher raw : s.matchers()) {
                PromQl.Matcher m = literal(raw);
                if (m == null) {
                    continue;
                }
                if (!target.has("service")) {
                    for (AlertReader.CatalogueService c : catalogue) {
                        String pair = c.matching(Map.of(m.label(), m.value()));
                        if (pair != null) {
                            target = target.with("service", c.name(), "catalogue labels of " + c.name() + ": expression matcher " + raw);
                        }
                    }
                }
                for (String kind : Target.KINDS) {
                    if (!target.has(kind) && vocabulary.targetLabels().getOrDefault(kind, List.of()).contains(m.label())
                            && usable(kind, m.value())) {
                        target = target.with(kind, m.value(), "expression matcher " + raw);
                    }
                }
            }
        }
        return target;
    }

    /**
     * The value an equality matcher names, or a regex matcher that names one value ({@code job=~".*thanos-store.*"}
     * names thanos-store); null for any other matcher.
     */
    private static PromQl.Matcher literal(PromQl.Matcher m) {
        if (m.op().equals("=")) {
            return m;
        }
        if (m.op().equals("=~")) {
            String core = m.value().replaceAll("^(\\.\\*)+|(\\.\\*)+$", "");
            if (LITERAL.matcher(core).matches()) {
                return new PromQl.Matcher(m.label(), "=", core);
            }
        }
        return null;
    }

    private boolean usable(String kind, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        // kube-state-metrics, node-exporter …: the scraper's job names no service of the alert's
        return !kind.equals("service") || vocabulary.notServices() == null || !vocabulary.notServices().matcher(value).matches();
    }
}
