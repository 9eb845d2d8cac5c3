package dev.rootcause.ruletest;

import dev.rootcause.api.incident.IncidentResource;
import dev.rootcause.incident.IncidentNotFoundException;
import dev.rootcause.incident.IncidentRepository;
import dev.rootcause.incident.ReportRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rootcause.rule.RulesConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code GET /api/v1/incidents/{id}/rule-test}: the incident's latest diagnosis as a rule-test folder
 * (zip of {@code incident-<id>/alert.json}, {@code prometheus.json}, {@code probes.json} when dependencies
 * were probed, {@code expected.yaml}), to unpack
 * under {@code rules/tests/} so the incident becomes a regression case. The expectation is what the
 * diagnosis concluded; edit it if the conclusion was wrong. {@code alert.json} also carries the global
 * rule vars in force at export time, which the recorded queries were rendered with.
 */
@Path("/api/v1/incidents/{id}/rule-test")
public class RuleTestExport {

    private final IncidentRepository incidents;
    private final ReportRepository reports;
    private final RulesConfig rules;
    private final ObjectMapper json;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    RuleTestExport(IncidentRepository incidents, ReportRepository reports, RulesConfig rules, ObjectMapper json) {
        this.incidents = incidents;
        this.reports = reports;
        this.rules = rules;
        this.json = json;
    }

    @GET
    @Produces("application/zip")
    public Response export(@PathParam("id") String idParam) throws IOException {
        long id = IncidentResource.id(idParam);
        incidents.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        ReportRepository.Replayable r = reports.replayable(id)
                .orElseThrow(() -> new NotFoundException("incident " + id + " has no diagnosis to export"));
        String folder = "incident-" + id + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            put(zip, folder + "alert.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(alert(r.alertContext())));
            put(zip, folder + "prometheus.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(answers(r.recordings())));
            ArrayNode probes = probes(r.recordings(), json);
            if (!probes.isEmpty()) { // absent = no probe could be made, as in the diagnosis
                put(zip, folder + "probes.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(probes));
            }
            put(zip, folder + "expected.yaml", "# exported from incident " + id + ": what its diagnosis concluded\n"
                    + yaml.writeValueAsString(expected(r)));
        }
        return Response.ok(bytes.toByteArray()).header("Content-Disposition", "attachment; filename=\"incident-" + id
                + "-rule-test.zip\"").build();
    }

    private ObjectNode alert(JsonNode context) {
        ObjectNode alert = json.createObjectNode();
        alert.set("labels", context.get("labels"));
        alert.set("annotations", context.get("annotations"));
        alert.set("startsAt", context.get("startsAt"));
        alert.set("evaluatedAt", context.get("now"));
        // the global rule vars in force now ($rate_window ...): the recorded queries were rendered with them
        alert.set("vars", json.valueToTree(rules.vars()));
        return alert;
    }

    /** One entry per distinct query, its answer in the Prometheus API's matrix shape. */
    private ArrayNode answers(JsonNode recordings) {
        Map<String, JsonNode> byQuery = new LinkedHashMap<>();
        recordings.forEach(r -> {
            if (r.path("capability").asText("prometheus").equals("prometheus")) {
                byQuery.putIfAbsent(r.path("query").asText(), r.path("series"));
            }
        });
        ArrayNode out = json.createArrayNode();
        byQuery.forEach((query, series) -> {
            ObjectNode answer = out.addObject().put("query", query).putObject("answer").put("status", "success");
            answer.putObject("data").put("resultType", "matrix").set("result", series);
        });
        return out;
    }

    /** {@code probes.json}: one entry per URL probed (the recorded dependency probes). */
    static ArrayNode probes(JsonNode recordings, ObjectMapper json) {
        Map<String, JsonNode> byUrl = new LinkedHashMap<>();
        recordings.forEach(r -> {
            if ("probes".equals(r.path("capability").asText())) {
                byUrl.putIfAbsent(r.path("query").asText(), r.path("series").path(0));
            }
        });
        ArrayNode out = json.createArrayNode();
        byUrl.values().forEach(out::add);
        return out;
    }

    private ObjectNode expected(ReportRepository.Replayable r) {
        ObjectNode expected = yaml.createObjectNode();
        JsonNode root = null;
        ObjectNode findings = expected.objectNode();
        for (JsonNode f : r.findings()) {
            findings.put(f.path("id").asText(), f.path("verdict").asText());
            if (root == null && r.rootCause() != null && "supports".equals(f.path("verdict").asText())) {
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
