package dev.rootcause.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert rules of a Prometheus rule file ({@code groups: [{name, rules: [{alert, expr, labels, annotations}]}]},
 * the format of Prometheus' "Alerting rules" documentation; recording rules are skipped) or of a running
 * Prometheus ({@code GET <base>/api/v1/rules?type=alert}, whose rules carry {@code name} and {@code query}).
 */
final class AlertRules {

    /** How long a Prometheus may take to list its rules. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert rule: where it is ({@code group}), its name, expression, static labels and annotations. */
    record AlertRule(String group, String name, String expr, Map<String, String> labels, Map<String, String> annotations) {
    }

    /** Input that is not a rule file or a Prometheus answer; the message says what is wrong. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private AlertRules() {
    }

    /**
     * Reads {@code source}: an {@code http(s)://} base URL of a Prometheus, else a rule file's path.
     *
     * @throws Unreadable when the file or the answer cannot be read or has no {@code groups}
     */
    static List<AlertRule> read(String source) throws Unreadable {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            return fromApi(source, fetch(source));
        }
        Path file = Path.of(source);
        try {
            return fromFile(file.getFileName().toString(), YAML.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new Unreadable(file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
        }
    }

    private static String fetch(String base) throws Unreadable {
        String url = base.contains("/api/v1/rules") ? base : base.replaceAll("/+$", "") + "/api/v1/rules?type=alert";
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new Unreadable(url + ": HTTP " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreadable(url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable(url + ": interrupted");
        }
    }

    /** A rule file: {@code groups[].rules[]} with {@code alert} (recording rules, with {@code record}, are skipped). */
    static List<AlertRule> fromFile(String name, JsonNode root) throws Unreadable {
        if (root == null || !root.path("groups").isArray()) {
            throw new Unreadable(name + ": not a Prometheus rule file (expected groups: [{name, rules: [...]}])");
        }
        List<AlertRule> out = new ArrayList<>();
        for (JsonNode g : root.get("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (r.hasNonNull("alert")) {
                    out.add(new AlertRule(g.path("name").asText(name), r.get("alert").asText(), r.path("expr").asText(null),
                            strings(r.get("labels")), strings(r.get("annotations"))));
                }
            }
        }
        return out;
    }

    /** {@code /api/v1/rules}: {@code data.groups[].rules[]} of {@code type: alerting}, with {@code name} and {@code query}. */
    static List<AlertRule> fromApi(String url, String body) throws Unreadable {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Unreadable(url + ": not JSON: " + e.getOriginalMessage());
        }
        if (!root.path("data").path("groups").isArray()) {
            throw new Unreadable(url + ": not a Prometheus rules answer (expected data.groups)");
        }
        List<AlertRule> out = new ArrayList<>();
        for (JsonNode g : root.get("data").get("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (r.path("type").asText("alerting").equals("alerting") && r.hasNonNull("name")) {
                    out.add(new AlertRule(g.path("name").asText(""), r.get("name").asText(), r.path("query").asText(null),
                            strings(r.get("labels")), strings(r.get("annotations"))));
                }
            }
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
