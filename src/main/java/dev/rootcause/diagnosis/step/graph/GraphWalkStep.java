package dev.rootcause.diagnosis.step.graph;

import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.graph.DependencyGraph;
import dev.rootcause.diagnosis.graph.DependencyGraphs;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.step.StepParams;
import dev.rootcause.diagnosis.step.StepRunner;
import dev.rootcause.diagnosis.step.metrics.ConventionResolver;
import dev.rootcause.rule.Rule;
import dev.rootcause.rule.ServiceCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code graph.walk}: follows the alert's symptom down the dependency graph ({@link GraphWalk}) and names the deepest
 * component that explains it. {@code with}: {@code signal} ({@code latency} or {@code errors}, required),
 * {@code service} (default {@code $service}), {@code at}, {@code before}, {@code after} as {@code metrics.compare},
 * {@code max_depth} (levels below the service, 1-10, default 5), {@code min_ratio} (latency 1.5, errors 3),
 * {@code min_after} (latency 0, errors 0.01), {@code onset_tolerance} (how much later than its caller's an anomaly may
 * begin and still be a cause, default 2m), {@code day_before} (also compare anomalous components with the same window
 * a day before, default true), {@code agree_with} (the id of a one-hop step this one {@code needs}: a
 * {@code traces.slowest_dependency} or {@code metrics.compare_by}; when it names the blamed component its evidence
 * kind is counted as agreeing, and when the graph knows no downstream of the service its suspect is the one hop).
 *
 * <p>Values: {@code found} (a downstream is blamed), {@code blamed}, {@code blamed_before}, {@code blamed_after},
 * {@code depth} (hops below the service), {@code path} ({@code checkout p99 0.21→1.9 s → payments 0.05→1.7 s → …}),
 * {@code kinds} ({@code traces + metrics}), {@code agreeing_kinds} (the evidence kinds that single out the blamed
 * component, comma-separated: the diagnosis counts them for confidence), {@code explanation}, {@code normal},
 * {@code not_blamed}, {@code unchecked}, {@code cause} (all of it as a sentence), {@code summary}, {@code checked},
 * {@code queries} (how many PromQL queries the walk sent), {@code wall_ms} (how long the walk took, milliseconds, graph
 * read to verdict), {@code backend_ms} (of which waiting for Prometheus' answers), {@code onset}, {@code scope},
 * {@code scope_detail}.
 */
public class GraphWalkStep implements StepRunner {

    private final MetricsSource metrics;
    private final ConventionResolver conventions;
    private final ServiceCatalogue catalogue;
    private final Supplier<List<ChangeSource>> changes;
    private final HttpProber prober;
    private final DependencyGraphs graphs;

    /**
     * @param graphs the dependency graph in force; null: the catalogue's {@code dependencies} alone
     */
    public GraphWalkStep(MetricsSource metrics, ConventionResolver conventions, ServiceCatalogue catalogue,
            Supplier<List<ChangeSource>> changes, HttpProber prober, DependencyGraphs graphs) {
        this.metrics = metrics;
        this.conventions = conventions;
        this.catalogue = catalogue;
        this.changes = changes;
        this.prober = prober;
        this.graphs = graphs != null ? graphs : () -> CatalogueEdges.graph(catalogue);
    }

    @Override
    public String type() {
        return "graph.walk";
    }

    /**
     * Two queries for the alerting service, three per level below it (its server signal, its callers' client view,
     * an explanation), for up to three levels: the depth of the chains seen in incident data (Nezha's, issue 18).
     * Deeper levels take from the common part of the budget when it has any left.
     */
    @Override
    public int reservedQueries(Rule.Step step) {
        Object depth = step.with().get("max_depth");
        int levels = depth instanceof Number n ? n.intValue() : 5;
        return 2 + 3 * Math.min(Math.max(levels, 1), 3);
    }

    @Override
    public String kind() {
        return "metric";
    }

    /** The {@code agree_with} step is a hint: the walk runs whether or not it ended ok. */
    @Override
    public boolean runsAfterFailedNeeds() {
        return true;
    }

    @Override
    public Map<String, Object> outputs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("found", true);
        for (String s : List.of("blamed", "path", "kinds", "agreeing_kinds", "explanation", "normal", "not_blamed", "unchecked", "cause",
                "summary", "onset", "scope", "scope_detail")) {
            out.put(s, "");
        }
        out.put("blamed_before", 0.0);
        out.put("blamed_after", 0.0);
        out.put("depth", 0L);
        out.put("checked", 0L);
        out.put("queries", 0L);
        out.put("wall_ms", 0L);
        out.put("backend_ms", 0L);
        return out;
    }

    @Override
    public void check(Map<String, Object> with) {
        StepParams.keys(with, Set.of("signal", "service", "at", "before", "after", "max_depth", "min_ratio", "min_after",
                "onset_tolerance", "day_before", "agree_with"), Set.of("signal"));
        WalkSignal.of(String.valueOf(with.get("signal")));
        StepParams.oneOf(with, "at", Set.of("alert.startsAt", "now"));
        StepParams.duration(with, "before");
        StepParams.duration(with, "after");
        StepParams.duration(with, "onset_tolerance");
        StepParams.integer(with, "max_depth", 5, 1, 10);
        for (String key : List.of("min_ratio", "min_after")) {
            if (with.containsKey(key) && !(with.get(key) instanceof Number n && n.doubleValue() >= 0)) {
                throw new IllegalArgumentException(key + ": expected a number ≥ 0, got " + with.get(key));
            }
        }
        if (with.containsKey("day_before") && !(with.get("day_before") instanceof Boolean)) {
            throw new IllegalArgumentException("day_before: expected true or false, got " + with.get("day_before"));
        }
        if (with.containsKey("agree_with") && !(with.get("agree_with") instanceof String s && s.matches("[a-zA-Z_][a-zA-Z0-9_]*"))) {
            throw new IllegalArgumentException("agree_with: expected the id of a step this one needs, got " + with.get("agree_with"));
        }
    }

    /**
     * Whether the alert is about what this walk follows: read as {@code latency} for a latency walk, {@code errors} for
     * an errors walk, or not read at all (on demand, an older caller), when the walk trusts the alert as before.
     */
    static boolean aboutSignal(AlertContext alert, WalkSignal signal) {
        if (alert.onDemand() || alert.reading().symptoms().isEmpty()) {
            return true;
        }
        return alert.reading().hasSymptomCoveredBy(Symptom.of(signal == WalkSignal.LATENCY ? "latency" : "errors"));
    }

    @Override
    public Evidence run(Rule.Step step, AlertContext alert, Map<String, String> vars, Map<String, Evidence> previous) {
        Map<String, Object> with = step.with();
        WalkSignal signal = WalkSignal.of(String.valueOf(with.get("signal")));
        String service = service(with.get("service"), vars);
        Instant at = "now".equals(with.get("at")) ? alert.now() : alert.startsAt();
        Instant start = at.minus(StepParams.duration(step, "before", "1h"));
        Duration after = StepParams.duration(step, "after", "30m");
        Instant end = alert.onDemand() || !at.plus(after).isBefore(alert.now()) ? alert.now() : at.plus(after);
        end = end.isBefore(at) ? at : end;
        Duration resolution = Duration.ofMillis(Math.max(15_000, Duration.between(start, end).toMillis() / 500));
        Hint hint;
        try {
            hint = Hint.of(with.get("agree_with"), previous);
        } catch (IllegalStateException e) {
            return evidence(step, start, end, Evidence.Status.ERROR, e.getMessage(), Map.of(), null, List.of());
        }
        DependencyGraph graph = graphs.current();
        if (service == null) {
            return evidence(step, start, end, Evidence.Status.ERROR, "service: " + with.getOrDefault("service", "$service") + " has no value",
                    Map.of(), null, List.of());
        }
        GraphWalk.Request request = new GraphWalk.Request(service, signal, start, at, end, resolution, vars,
                StepParams.integer(with, "max_depth", 5, 1, 10), number(with, "min_ratio", signal.minRatio()),
                number(with, "min_after", signal.minAfter()), StepParams.duration(step, "onset_tolerance", "2m"),
                !Boolean.FALSE.equals(with.get("day_before")), hint.suspect(), hint.kind(), hint.before(), hint.after(),
                aboutSignal(alert, signal));
        WalkResult result;
        long t0 = System.nanoTime();
        if (graph.downstreams(service).isEmpty()) {
            if (hint.evidence() == null) {
                return evidence(step, start, end, Evidence.Status.NO_DATA, "the dependency graph has no downstream of " + service
                        + " (sources: " + (graph.sources().isEmpty() ? "none answered" : graph.sources()) + ")", Map.of("found", false),
                        null, List.of());
            }
            WalkNode root = new WalkNode(service, 0);
            Map<String, WalkNode> nodes = new LinkedHashMap<>();
            nodes.put(service, root);
            result = WalkVerdict.of(root, nodes, request, List.of(), List.of(), 0, List.of(), 0);
        } else {
            try {
                result = new GraphWalk(metrics, conventions.table(), catalogue, changes.get(), prober).walk(graph, request);
            } catch (MetricsSourceException e) {
                if (hint.evidence() == null) {
                    return evidence(step, start, end, e.status(), e.getMessage(), Map.of(), null, List.of());
                }
                // Prometheus cannot answer for the target: the one-hop step's suspect stands in, as with no graph
                WalkNode root = new WalkNode(service, 0);
                result = WalkVerdict.of(root, new LinkedHashMap<>(Map.of(service, root)), request, List.of(), List.of(), 0,
                        List.of("Prometheus " + e.status().wire() + ": " + e.getMessage()), 0);
            }
        }
        Map<String, Object> values = WalkValues.of(result, hint);
        values.put("wall_ms", (System.nanoTime() - t0) / 1_000_000);
        String link = result.kinds().contains(hint.kind()) && hint.evidence() != null ? hint.evidence().link()
                : result.queries().isEmpty() ? null : metrics.link(result.queries().get(0), start, end);
        return evidence(step, start, end, Evidence.Status.OK, null, values, link, result.recorded())
                .withRecorded(graph.edges().isEmpty() ? List.of() : List.of(CatalogueEdges.recorded(graph)));
    }

    private Evidence evidence(Rule.Step step, Instant start, Instant end, Evidence.Status status, String reason, Map<String, Object> values,
            String link, List<Evidence.Recorded> recorded) {
        String query = values.get("query_text") instanceof String q ? q : null;
        Map<String, Object> shown = new LinkedHashMap<>(values);
        shown.remove("query_text"); // the queries as sent are the evidence's query, one per line
        return new Evidence(step.id(), type(), kind(), metrics == null ? null : metrics.name(), query, start, end, status, reason, shown,
                link, recorded);
    }

    private static double number(Map<String, Object> with, String key, double fallback) {
        return with.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    /** The step's {@code service:} ({@code $name} reads a var), else the var {@code service}; null when it has no value. */
    private static String service(Object param, Map<String, String> vars) {
        String text = param == null ? "$service" : String.valueOf(param);
        if (!text.startsWith("$")) {
            return text;
        }
        String value = vars.get(text.substring(1));
        return value == null || value.isEmpty() ? null : value;
    }
}
