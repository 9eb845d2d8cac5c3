package dev.rootcause.classify;

import dev.rootcause.alert.reading.AlertReader;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.PromQl;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.alert.reading.Vocabulary;
import dev.rootcause.rule.RuleException;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.rule.vocabulary.AlertReadings;
import dev.rootcause.rule.vocabulary.SymptomVocabulary;
import dev.rootcause.support.FileMistake;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rootcause alerts classify <rule file | Prometheus URL> [--rules <dir>]}: the dry run an SRE makes before
 * adopting rootcause. Lists every alert rule with the symptoms and the target rootcause would read for it, and
 * flags those it reads neither for. The target comes from the rule's static labels, the expression's equality
 * matchers, and the labels its {@code by (…)} clauses keep (shown as {@code <label>}, since each firing alert
 * carries its own value). Reads {@code <dir>/symptoms.yaml} and {@code <dir>/services.yaml} ({@code rules} by
 * default). Output and exit codes: docs/alert-reading.md ("Dry run").
 */
public final class AlertsClassify {

    /** Every alert rule has a symptom and a target. */
    public static final int ALL_READ = 0;
    /** Some alert rule has no symptom or no target (flagged NO SYMPTOM / NO TARGET). */
    public static final int SOME_UNREAD = 1;
    /** The input or the vocabulary could not be read. */
    public static final int UNREADABLE = 2;

    private final PrintStream out;

    public AlertsClassify(PrintStream out) {
        this.out = out;
    }

    /**
     * @param source a rule file's path or a Prometheus base URL ({@code http(s)://…})
     * @param rules  the rules folder holding {@code symptoms.yaml} and {@code services.yaml}
     * @return {@link #ALL_READ}, {@link #SOME_UNREAD} or {@link #UNREADABLE}
     */
    public int run(String source, Path rules) {
        AlertReader reader;
        Vocabulary vocabulary;
        List<AlertRules.AlertRule> alertRules;
        try {
            SymptomVocabulary v = SymptomVocabulary.load(rules.resolve(Vocabulary.FILE));
            vocabulary = v.current();
            reader = AlertReadings.reader(v, ServiceCatalogue.load(rules.resolve(ServiceCatalogue.FILE)));
            alertRules = AlertRules.read(source);
        } catch (FileMistake | AlertRules.Unreadable e) {
            out.println("ERROR " + e.getMessage());
            return UNREADABLE;
        }
        if (!java.nio.file.Files.exists(rules.resolve(Vocabulary.FILE))) {
            out.println("ERROR " + rules.resolve(Vocabulary.FILE) + " does not exist (give the rules folder with --rules <dir>)");
            return UNREADABLE;
        }
        int noSymptom = 0;
        int noTarget = 0;
        int full = 0;
        for (AlertRules.AlertRule r : alertRules) {
            Map<String, String> labels = new HashMap<>(r.labels());
            labels.put("alertname", r.name());
            AlertReading reading = reader.readRule(r.name(), r.expr(), labels, r.annotations());
            List<String> perSeries = perSeries(vocabulary, reading.target(), r.expr());
            boolean symptom = !reading.symptoms().isEmpty();
            boolean target = !reading.target().isEmpty() || !perSeries.isEmpty();
            noSymptom += symptom ? 0 : 1;
            noTarget += target ? 0 : 1;
            full += symptom && target ? 1 : 0;
            String flag = symptom && target ? "OK        " : !symptom ? "NO SYMPTOM" : "NO TARGET ";
            out.println(flag + " " + r.group() + "/" + r.name());
            out.println("    symptoms: " + (symptom ? symptoms(reading) : "none read"
                    + (r.expr() == null ? " (no expression)" : "") + "; pin one with the label " + vocabulary.pin()));
            out.println("    target:   " + target(reading, perSeries));
        }
        out.println(alertRules.size() + " alert rule(s): " + full + " read fully, " + noSymptom + " without a symptom, " + noTarget + " without a target");
        return noSymptom + noTarget == 0 ? ALL_READ : SOME_UNREAD;
    }

    private static String symptoms(AlertReading reading) {
        List<String> parts = new ArrayList<>();
        for (SymptomReading s : reading.symptoms()) {
            parts.add(s.symptom() + " (" + s.from() + ": " + s.reason() + ")");
        }
        return String.join(", ", parts);
    }

    private static String target(AlertReading reading, List<String> perSeries) {
        List<String> parts = new ArrayList<>();
        reading.target().ordered().forEach((kind, value) -> parts.add(kind + " " + value + " (" + reading.target().from().get(kind) + ")"));
        parts.addAll(perSeries);
        return parts.isEmpty() ? "none: " + reading.noTarget() : String.join(", ", parts);
    }

    /** Kinds the static labels and matchers left open that a {@code by} label names: {@code pod <pod> (by clause)}. */
    private static List<String> perSeries(Vocabulary vocabulary, Target known, String expr) {
        List<String> out = new ArrayList<>();
        if (expr == null) {
            return out;
        }
        PromQl.Expression read = PromQl.read(expr);
        List<String> kept = new ArrayList<>(read.grouping());
        // a selector outside any aggregation keeps its series' labels, and every scraped series has job and instance
        if (read.selectors().stream().anyMatch(s -> s.functions().stream().noneMatch(PromQl::isAggregation))) {
            kept.addAll(List.of("job", "instance"));
        }
        for (String kind : Target.KINDS) {
            if (known.has(kind)) {
                continue;
            }
            vocabulary.targetLabels().getOrDefault(kind, List.of()).stream().filter(kept::contains).findFirst()
                    .ifPresent(label -> out.add(kind + " <" + label + "> (by clause)"));
        }
        return out;
    }
}
