package dev.rootcause.report.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.alert.reading.AlertReading;
import dev.rootcause.alert.reading.Symptom;
import dev.rootcause.alert.reading.SymptomReading;
import dev.rootcause.alert.reading.Target;
import dev.rootcause.diagnosis.AlertContext;
import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.Finding;
import dev.rootcause.diagnosis.RootCause;
import dev.rootcause.diagnosis.Verdict;
import dev.rootcause.report.ReportOutline;
import dev.rootcause.report.ReportOutliner;
import dev.rootcause.report.render.discord.DiscordEmbed;
import dev.rootcause.report.render.discord.DiscordRenderer;
import dev.rootcause.report.render.jira.JiraRenderer;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same diagnoses through every renderer: each says the same headline, the same root cause and the same
 * not-checked items, word for word, because the wording is decided once in {@link ReportOutliner}.
 */
class RenderersAgreeTest {

    static final Instant T0 = Instant.parse("2026-06-01T03:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> diagnoses() {
        return Stream.of(
                Arguments.of("found", found(), "Root cause (confidence: medium; metric evidence):",
                        "Deploy 2.3.1 of checkout raised the 5xx ratio from 0.1% to 12%", List.of("logs: timeout — loki: no answer within 5s")),
                Arguments.of("walk", walked(), "Root cause (confidence: high):", WALK.cause(), List.of()),
                Arguments.of("not found", notFound(), "Root cause:",
                        "not determined. No check found a cause.", List.of()),
                Arguments.of("partial", partial(), "Root cause:",
                        "not determined, and some sources did not answer (see below). Not checked: metric (prometheus error:"
                                + " prometheus: connection refused), log (loki timeout: loki: no answer within 5s).",
                        List.of("errors: error — prometheus: connection refused", "logs: timeout — loki: no answer within 5s")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("diagnoses")
    void everyRendererSaysTheSame(String name, Diagnosis d, String label, String text, List<String> notChecked) {
        ReportOutline o = ReportOutliner.outline("HighErrorRate on checkout", "critical", 7L, d);
        if (Boolean.getBoolean("renderers.print")) {
            System.out.println(MarkdownRenderer.render(o) + "\n" + JiraRenderer.wiki(o) + "\n" + DiscordRenderer.render(o));
        }
        assertThat(o.headLabel()).isEqualTo(label);
        // the root-cause line holds the text whole, or its beginning with the whole right below it (LINE_LIMIT)
        if (o.details().isEmpty()) {
            assertThat(o.headText()).isEqualTo(text);
        } else {
            assertThat(o.headText()).endsWith(" … (in full below)").hasSizeLessThanOrEqualTo(ReportOutline.LINE_LIMIT - label.length() - 1);
            assertThat(text).startsWith(o.headText().substring(0, o.headText().length() - " … (in full below)".length()));
            assertThat(o.details()).containsExactly("In full: " + text);
        }
        assertThat(o.readAsLine()).isEqualTo("Read as: symptom errors (expression: matcher code=~\"5..\" on http_requests_total),"
                + " target service checkout (label service)");
        assertThat(o.notChecked().stream().map(ReportOutline.NotChecked::line).toList()).containsExactlyElementsOf(notChecked);

        Map<String, String> rendered = new LinkedHashMap<>();
        rendered.put("markdown", MarkdownRenderer.render(o));
        rendered.put("github", GitHubRenderer.body(o));
        rendered.put("jira wiki", JiraRenderer.wiki(o).replaceAll("\\\\(.)", "$1")); // markup escapes off
        rendered.put("jira adf", texts(JiraRenderer.adf(o, JSON)));
        rendered.put("discord", discord(DiscordRenderer.render(o)));
        rendered.forEach((format, out) -> {
            assertThat(out).as(format).contains(label).contains(text).contains(o.footer()).contains(o.readAs()).contains(o.symptom());
            notChecked.forEach(line -> assertThat(out).as(format).contains(line));
            o.partial().forEach(line -> assertThat(out).as(format).contains(line));
            if (o.cause() != null) {
                assertThat(out).as(format).contains(o.cause().basedOn());
                if (o.cause().note() != null) {
                    assertThat(out).as(format).contains(o.cause().note());
                }
            }
            if (notChecked.isEmpty()) {
                assertThat(out).as(format).doesNotContain(ReportOutline.NOT_CHECKED);
            }
        });
    }

    /** Every text node of an ADF document, one per line. */
    private static String texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.findValues("text").forEach(t -> out.add(t.asText()));
        return String.join("\n", out);
    }

    private static String discord(DiscordEmbed e) {
        StringBuilder s = new StringBuilder(e.title()).append('\n').append(e.description()).append('\n');
        e.fields().forEach(f -> s.append(f.name()).append('\n').append(f.value()).append('\n'));
        return s.append(e.footer()).toString();
    }

    private static Evidence errors(Evidence.Status status, String reason, double after) {
        return new Evidence("errors", "metrics.compare", "metric", "prometheus", "sum(rate(http_requests_total[5m]))",
                T0.minusSeconds(1800), T0, status, reason, Map.of("before", 0.001, "after", after), null, List.of());
    }

    private static Evidence logsTimedOut() {
        return new Evidence("logs", "logs.count", "log", "loki", null, null, null, Evidence.Status.TIMEOUT,
                "loki: no answer within 5s", Map.of(), null, List.of());
    }

    private static AlertContext alert() {
        return new AlertContext("HighErrorRate on checkout", Map.of("service", "checkout"), Map.of("summary", "checkout 5xx above 5%"),
                T0.minusSeconds(60), T0).withReading(new AlertReading(List.of(new SymptomReading(Symptom.of("errors"),
                        SymptomReading.From.EXPRESSION, "matcher code=~\"5..\" on http_requests_total")),
                        Target.NONE.with("service", "checkout", "label service"), "sum(rate(http_requests_total{code=~\"5..\"}[5m]))", null));
    }

    static Diagnosis found() {
        Finding f = new Finding("http-5xx", "bad-deploy", Verdict.SUPPORTS, Layer.APPLICATION,
                "Deploy 2.3.1 of checkout raised the 5xx ratio from 0.1% to 12%", Confidence.HIGH, List.of("errors"), null);
        return new Diagnosis(alert(), List.of("http-5xx"), List.of(errors(Evidence.Status.OK, null, 0.12), logsTimedOut()), List.of(f),
                new RootCause(f.cause(), Confidence.MEDIUM, "http-5xx", "bad-deploy", "lowered from high: only metric evidence"),
                List.of("loki timeout: loki: no answer within 5s"), "https://runbooks.example/http-5xx",
                List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of("http-5xx/bad-deploy"), "cause found")));
    }

    /** A walk three hops down: its path with each hop's before → after, what was normal and what was not checked. */
    static final dev.rootcause.diagnosis.step.graph.WalkResult WALK = new dev.rootcause.diagnosis.step.graph.WalkResult("checkout",
            dev.rootcause.diagnosis.step.graph.WalkSignal.LATENCY, "payments-db",
            List.of(new dev.rootcause.diagnosis.step.graph.WalkResult.Hop("checkout", 0.21, 1.9, false),
                    new dev.rootcause.diagnosis.step.graph.WalkResult.Hop("payments", 0.05, 1.7, false),
                    new dev.rootcause.diagnosis.step.graph.WalkResult.Hop("payments-db", 0.003, 1.6, false)),
            java.util.Set.of("metrics", "traces"), "", List.of(), List.of("auth 0.02→0.02 s", "inventory 0.03→0.031 s"), List.of(),
            List.of("queue (no metrics of its own or of its callers' client side)"), T0.minusSeconds(90), List.of(), 2, List.of(), 0);

    static Diagnosis walked() {
        Finding f = new Finding("latency-slow-dependency", "slow-dependency", Verdict.SUPPORTS, Layer.DEPENDENCY, WALK.cause(),
                Confidence.HIGH, List.of("walk"), null);
        return new Diagnosis(alert(), List.of("latency-slow-dependency"), List.of(errors(Evidence.Status.OK, null, 0.12)), List.of(f),
                new RootCause(f.cause(), Confidence.HIGH, "latency-slow-dependency", "slow-dependency", ""), List.of(), null,
                List.of(new Diagnosis.LayerVerdict(Layer.DEPENDENCY, List.of("latency-slow-dependency/slow-dependency"), "cause found")));
    }

    @org.junit.jupiter.api.Test
    void theWalksEvidenceChainReadsAsAPath() {
        assertThat(WALK.cause()).isEqualTo("payments-db is the deepest component that slowed, 2 hops below checkout: checkout p99 0.21→1.9 s"
                + " → payments 0.05→1.7 s → payments-db 3→1600 ms (traces + metrics); its own downstreams are normal."
                + " Checked and normal: auth 0.02→0.02 s, inventory 0.03→0.031 s."
                + " Could not check: queue (no metrics of its own or of its callers' client side).");
    }

    static Diagnosis notFound() {
        Finding f = new Finding("http-5xx", "bad-deploy", Verdict.RULES_OUT, Layer.APPLICATION, null, Confidence.HIGH, List.of("errors"),
                "condition not met: errors.after = 0.002 is not above 3 × errors.before = 0.001");
        return new Diagnosis(alert(), List.of("http-5xx"), List.of(errors(Evidence.Status.OK, null, 0.002)), List.of(f), null,
                List.of(), null, List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of("http-5xx/bad-deploy"), "ruled out")));
    }

    static Diagnosis partial() {
        Finding f = new Finding("http-5xx", "bad-deploy", Verdict.NO_DATA, Layer.APPLICATION, null, Confidence.HIGH, List.of("errors"),
                "errors: prometheus: connection refused");
        return new Diagnosis(alert(), List.of("http-5xx"), List.of(errors(Evidence.Status.ERROR, "prometheus: connection refused", 0),
                logsTimedOut()), List.of(f), null,
                List.of("prometheus error: prometheus: connection refused", "loki timeout: loki: no answer within 5s"), null,
                List.of(new Diagnosis.LayerVerdict(Layer.APPLICATION, List.of("http-5xx/bad-deploy"), "no data")));
    }
}
