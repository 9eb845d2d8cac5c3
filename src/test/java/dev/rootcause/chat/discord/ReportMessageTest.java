package dev.rootcause.chat.discord;

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
import dev.rootcause.incident.Incident;
import dev.rootcause.report.render.discord.DiscordLimits;
import dev.rootcause.rule.Confidence;
import dev.rootcause.rule.Layer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.junit.jupiter.api.Test;

/**
 * Rendering a report as a Discord message: a JSON snapshot of a typical report, and every limit of
 * docs/chat-and-tickets.md ("Limits") with inputs beyond it. JDA's own builders also reject over-limit parts, so an unenforced
 * limit fails here with an exception.
 */
class ReportMessageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    static final String SNAPSHOT = "src/test/resources/discord/report-message.json";

    @Test
    void typicalReportMatchesItsSnapshot() throws Exception {
        MessageCreateData m = ReportMessage.render(incident(12, "Cache hit ratio for cache-a is 13%"), "Cache hit ratio for cache-a is 13%",
                "critical", diagnosis(Map.of("service", "cache-a", "alertname", "CacheHitRateLow", "severity", "critical"),
                        Map.of("description", "redis keyspace hit ratio below 50% for 5m"), 4), "112233445566778899", new byte[] {1});
        JsonNode actual = JSON.readTree(m.toData().toString());
        if (Boolean.getBoolean("snapshots.update")) {
            Files.writeString(Path.of(SNAPSHOT), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
        }
        JsonNode expected = JSON.readTree(Files.readString(Path.of(SNAPSHOT), StandardCharsets.UTF_8));
        assertThat(actual).as("rendered message vs %s (regenerate with -Dsnapshots.update=true and review the diff)", SNAPSHOT)
                .isEqualTo(expected);
    }

    @Test
    void a6500CharacterUnicodeAnnotationIsCutOnACharacterBoundaryAndSaysSo() {
        String annotation = "😀 Ünïcödé 障害 ".repeat(500).substring(0, 6500);
        MessageEmbed e = embed(Map.of("service", "checkout"), Map.of("description", annotation), 3, "Checkout errors");
        assertThat(e.getDescription().length()).isLessThanOrEqualTo(DiscordLimits.DESCRIPTION);
        assertThat(e.getDescription()).contains("… [cut ").contains(" characters]");
        assertWellFormed(e.getDescription());
        assertWithinLimits(e);
    }

    @Test
    void thirtyLabelsFitTheirFieldAndSayHowManyAreLeftOut() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            labels.put("label_" + i, "value-" + "x".repeat(40) + i);
        }
        MessageEmbed e = embed(labels, Map.of(), 2, "Thirty labels");
        MessageEmbed.Field field = e.getFields().stream().filter(f -> f.getName().equals("Labels")).findFirst().orElseThrow();
        assertThat(field.getValue().length()).isLessThanOrEqualTo(DiscordLimits.FIELD_VALUE);
        assertThat(field.getValue()).matches("(?s).* … and \\d+ more labels");
        assertWithinLimits(e);
    }

    @Test
    void everythingTooLongAtOnceStaysWithinTheMessageTotal() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            labels.put("l" + i, "🚀".repeat(60));
        }
        MessageEmbed e = embed(labels, Map.of("description", "🔥".repeat(5000)), 30, "T".repeat(300));
        // the title is the symptom line; the alert's own 300-character title is in the description, cut with it
        assertThat(e.getTitle().length()).isLessThanOrEqualTo(DiscordLimits.TITLE);
        assertThat(e.getDescription()).contains("**Alert title:** TTTT");
        assertWithinLimits(e);
        assertThat(e.getFooter().getText()).contains("cut to fit Discord:").contains("evidence field");
    }

    @Test
    void longFieldsShrinkWhenTheDescriptionCannotGiveMore() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            labels.put("label_" + i, "value-" + "x".repeat(40) + i);
        }
        Diagnosis d = diagnosis(labels, Map.of(), 12);
        List<Diagnosis.LayerVerdict> layers = new ArrayList<>();
        for (Layer layer : Layer.values()) {
            List<String> checked = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                checked.add(layer + "-check-" + i + "/finding-with-a-long-name-" + i);
            }
            layers.add(new Diagnosis.LayerVerdict(layer, checked, "ruled out in part: " + "no data from prometheus; ".repeat(30)));
        }
        List<Finding> findings = new ArrayList<>(d.findings());
        for (int i = 0; i < 20; i++) {
            findings.add(new Finding("rule-" + i, "finding-" + i, Verdict.RULES_OUT, Layer.APPLICATION,
                    "A cause that the evidence rejected, described at length so that its line is long: " + i, Confidence.LOW,
                    List.of(), null));
        }
        d = new Diagnosis(d.alert(), d.rules(), d.evidence(), findings, d.rootCause(), List.of(), d.runbook(), layers);
        MessageEmbed e = ReportMessage.render(incident(8, "Checkout slow"), "Checkout slow", "critical", d, null, null)
                .getEmbeds().get(0);
        assertWithinLimits(e);
        assertThat(e.getDescription()).contains("**Root cause (confidence: medium; metric evidence):**");
        assertThat(e.getFooter().getText()).contains("cut to fit Discord:");
    }

    @Test
    void everyoneInAnAnnotationPingsNobodyAndOnlyTheOncallRoleIsAllowed() throws Exception {
        MessageCreateData m = ReportMessage.render(incident(3, "@everyone look"), "@everyone look", "warning",
                diagnosis(Map.of("service", "x"), Map.of("description", "@everyone @here <@&999> fix it"), 1), "112233445566778899", null);
        JsonNode data = JSON.readTree(m.toData().toString());
        assertThat(data.at("/allowed_mentions/parse").size()).isZero();
        assertThat(data.at("/allowed_mentions/roles").size()).isEqualTo(1);
        assertThat(data.at("/allowed_mentions/roles/0").asText()).isEqualTo("112233445566778899");
    }

    static void assertWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))).as("pair at %d", i).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
            }
        }
    }

    private static void assertWithinLimits(MessageEmbed e) {
        assertThat(e.getTitle().length()).isLessThanOrEqualTo(DiscordLimits.TITLE);
        assertThat(e.getDescription().length()).isLessThanOrEqualTo(DiscordLimits.DESCRIPTION);
        assertThat(e.getFields()).hasSizeLessThanOrEqualTo(DiscordLimits.FIELDS);
        for (MessageEmbed.Field f : e.getFields()) {
            assertThat(f.getName().length()).isLessThanOrEqualTo(DiscordLimits.FIELD_NAME);
            assertThat(f.getValue().length()).isLessThanOrEqualTo(DiscordLimits.FIELD_VALUE);
            assertWellFormed(f.getValue());
        }
        assertThat(e.getFooter().getText().length()).isLessThanOrEqualTo(DiscordLimits.FOOTER);
        assertThat(e.getLength()).isLessThanOrEqualTo(DiscordLimits.EMBED_TOTAL);
    }

    @Test
    void whyTheRootCauseWasPreferredFollowsIt() {
        Diagnosis d = diagnosis(Map.of("service", "checkout"), Map.of("summary", "checkout is slow"), 2);
        String note = "preferred cpu-throttling/cpu-throttled over latency-slow-dependency/no-single-dependency: 2 of 3 downstreams "
                + "on the critical path slowed together";
        d = new Diagnosis(d.alert(), d.rules(), d.evidence(), d.findings(), d.rootCause(), d.partial(), d.runbook(), d.layers(),
                List.of(note));
        MessageEmbed e = ReportMessage.render(incident(9, "Checkout slow"), "Checkout slow", "warning", d, null, null).getEmbeds().get(0);
        assertThat(e.getDescription()).contains("**Root cause (confidence: medium; metric evidence):**").contains("⚖️ " + note);
        assertThat(e.getDescription().indexOf("⚖️")).isGreaterThan(e.getDescription().indexOf("**Root cause (confidence: medium; metric evidence):**"));
        assertWithinLimits(e);
    }

    private static MessageEmbed embed(Map<String, String> labels, Map<String, String> annotations, int evidence, String title) {
        MessageCreateData m = ReportMessage.render(incident(7, title), title, "critical", diagnosis(labels, annotations, evidence), null, null);
        assertThat(m.getEmbeds()).hasSize(1);
        assertThat(m.getContent().length()).isLessThanOrEqualTo(DiscordLimits.CONTENT);
        return m.getEmbeds().get(0);
    }

    static Incident incident(long id, String title) {
        return new Incident(id, "alertmanager", "{}:{alertname=\"X\"}", 1, "rootcause", "http://am:9093", title, "open", "critical",
                T0, T0, null, null, null, null, 1, 0, Map.of(), Map.of(), Map.of(), null, null, null, null);
    }

    static Diagnosis diagnosis(Map<String, String> labels, Map<String, String> annotations, int evidenceCount) {
        AlertContext alert = new AlertContext("alert", labels, annotations, T0, T0.plusSeconds(300)).withReading(new AlertReading(
                List.of(new SymptomReading(Symptom.of("cache"), SymptomReading.From.EXPRESSION, "metric redis_keyspace_hits_total")),
                Target.NONE.with("service", labels.getOrDefault("service", "x"), "label service"), null, null));
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < evidenceCount; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("before", 0.95);
            values.put("after", 0.05 + i);
            evidence.add(new Evidence("step_" + i, "metrics.compare", "metric", "prometheus", "sum(rate(x_total[1m]))",
                    T0.minusSeconds(3600), T0.plusSeconds(300), i == 1 ? Evidence.Status.TIMEOUT : Evidence.Status.OK,
                    i == 1 ? "Prometheus did not answer within 10s" : null, values,
                    "http://prometheus:9090/graph?g0.expr=" + "sum%28rate%28x_total%5B1m%5D%29%29".repeat(3)));
        }
        List<String> cites = evidence.isEmpty() ? List.of() : List.of(evidence.get(0).step());
        Finding f = new Finding("cache-hit-rate", "cache-penetration", Verdict.SUPPORTS, Layer.STORAGE,
                "Cache hit ratio collapsed from 95% to 5% (cache penetration)", Confidence.HIGH, cites, null);
        RootCause rc = new RootCause(f.cause(), Confidence.MEDIUM, f.rule(), f.id(), "lowered from high: only metric evidence");
        return new Diagnosis(alert, List.of("cache-hit-rate"), evidence, List.of(f), rc,
                evidenceCount > 1 ? List.of("prometheus timeout: Prometheus did not answer within 10s") : List.of(),
                "https://runbooks.example/cache",
                List.of(new Diagnosis.LayerVerdict(Layer.STORAGE, List.of("cache-hit-rate/cache-penetration"), "cause found: " + f.cause())));
    }
}
