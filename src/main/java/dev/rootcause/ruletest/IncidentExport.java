package dev.rootcause.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.diagnosis.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An incident's latest diagnosis as a rule-test folder: a zip of {@code incident-<id>/alert.json}, one
 * recording file per evidence family that asked a backend ({@link RecordingFamilies}: {@code prometheus.json}
 * always, the others when their backend answered) and {@code expected.yaml}, to unpack under
 * {@code rules/tests/} so the incident becomes a regression case. The expectation is what the diagnosis
 * concluded; edit it if the conclusion was wrong. {@code alert.json} also carries the global rule vars in
 * force at export time, which the recorded queries were rendered with, and the alert rule's expression as a
 * {@code generatorURL} when the alert was read from it.
 */
public final class IncidentExport {

    /**
     * What the latest diagnosis saw and concluded, as stored.
     *
     * @param alertContext the alert as the diagnosis saw it ({@code labels}, {@code annotations}, {@code startsAt}, {@code now})
     * @param recordings   the backend answers, a list of {@code {query, series, capability}}
     * @param findings     the findings ({@code id}, {@code rule}, {@code verdict}, ...)
     * @param rootCause    the root cause's summary, or null when there was none
     */
    public record Diagnosed(JsonNode alertContext, JsonNode recordings, JsonNode findings, String rootCause) {
    }

    private final ObjectMapper json;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Map<String, String> vars;

    /** @param vars the global rule vars in force ({@code rate_window} ...) */
    public IncidentExport(ObjectMapper json, Map<String, String> vars) {
        this.json = json;
        this.vars = vars;
    }

    /**
     * The header of {@code expected.yaml} for a root cause a responder marked wrong: who, when, what they said the
     * cause was, and that the expectation below still needs correcting; null when there is no wrong verdict.
     */
    public static String wrongNote(dev.rootcause.incident.Feedback f) {
        if (f == null || f.verdict() != dev.rootcause.incident.Feedback.Verdict.WRONG) {
            return null;
        }
        return "A responder (" + f.by() + ", " + f.at() + ") marked this root cause WRONG.\n"
                + "Actual cause, in their words: " + f.actual() + "\n"
                + "rootCause below is still what the diagnosis concluded: correct it to the rule and finding that\n"
                + "should have explained the incident (or null), and the findings' verdicts, before committing the test.";
    }

    /** {@code incident-<id>-rule-test.zip}: the name to download the zip as. */
    public static String fileName(long incidentId) {
        return "incident-" + incidentId + "-rule-test.zip";
    }

    /** The zip's bytes. */
    public byte[] zip(long incidentId, Diagnosed d) {
        return zip(incidentId, d, null);
    }

    /**
     * The zip's bytes, {@code expected.yaml} opening with {@code note} as comment lines: e.g. a responder's verdict
     * that the root cause was wrong, so whoever unpacks it corrects the expectation (still what the diagnosis
     * concluded) before committing the test.
     *
     * @param note text for the header, or null
     */
    public byte[] zip(long incidentId, Diagnosed d, String note) {
        String header = note == null ? "" : note.lines().map(l -> "# " + l + "\n").reduce("", String::concat);
        String folder = "incident-" + incidentId + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            put(zip, folder + "alert.json", pretty(alert(d.alertContext())));
            for (Map.Entry<String, JsonNode> file : RecordingFamilies.export(d.recordings(), json).entrySet()) {
                put(zip, folder + file.getKey(), pretty(file.getValue()));
            }
            put(zip, folder + "expected.yaml", header + "# exported from incident " + incidentId + ": what its diagnosis concluded\n"
                    + yaml.writeValueAsString(expected(d)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: only a serialization bug gets here
        }
        return bytes.toByteArray();
    }

    private String pretty(JsonNode node) throws IOException {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    private ObjectNode alert(JsonNode context) {
        ObjectNode alert = json.createObjectNode();
        alert.set("labels", context.get("labels"));
        alert.set("annotations", context.get("annotations"));
        alert.set("startsAt", context.get("startsAt"));
        alert.set("evaluatedAt", context.get("now"));
        // an alert read from its rule's expression (an opaque name) must read the same way when replayed: the
        // expression travels as Prometheus' own generatorURL does ({@code /graph?g0.expr=…&g0.tab=1})
        String expression = context.path("reading").path("expression").asText(null);
        if (expression != null && !expression.isBlank()) {
            alert.put("generatorURL", "/graph?g0.expr=" + java.net.URLEncoder.encode(expression, StandardCharsets.UTF_8) + "&g0.tab=1");
        }
        // the global rule vars in force now ($rate_window ...): the recorded queries were rendered with them
        alert.set("vars", json.valueToTree(vars));
        return alert;
    }

    private ObjectNode expected(Diagnosed d) {
        ObjectNode expected = yaml.createObjectNode();
        JsonNode root = null;
        ObjectNode findings = expected.objectNode();
        for (JsonNode f : d.findings()) {
            findings.put(f.path("id").asText(), f.path("verdict").asText());
            if (root == null && d.rootCause() != null && Verdict.SUPPORTS.wire().equals(f.path("verdict").asText())) {
                root = expected.objectNode().put("rule", f.path("rule").asText()).put("finding", f.path("id").asText());
            }
        }
        expected.set("rootCause", root);
        expected.set("findings", findings);
        return expected;
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
