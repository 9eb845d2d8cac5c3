package dev.rootcause.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.rootcause.Api;
import dev.rootcause.PackagedApp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Label values come from alerts: a diagnosis for each tricky value selects exactly its own series in a
 * real Prometheus, by equality and by regex matcher. Pairs that a naive quoting would confuse:
 * {@code a"b} / {@code a\"b}, {@code a.b} / {@code axb}, {@code x}} / {@code x}.
 */
class PromQlInjectionIT {

    /** value → the series' own sample value. */
    static final Map<String, Integer> SERIES = Map.of("a\"b", 1, "a\\\"b", 2, "a.b", 3, "axb", 4, "x}", 5, "x", 6);

    private static HttpServer exporter;
    private static Path work;
    private static PackagedApp app;
    private static Stack stack;

    @BeforeAll
    static void up() throws Exception {
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", ex -> {
            StringBuilder text = new StringBuilder("# TYPE injection_probe gauge\n");
            // exposition format: backslash, quote and newline escaped in label values
            SERIES.forEach((v, n) -> text.append("injection_probe{service=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"} ").append(n).append('\n'));
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        exporter.start();
        work = Files.createTempDirectory("rootcause-injection");
        app = new PackagedApp(work);
        stack = new Stack(Path.of("target/stack-injection").toAbsolutePath(),
                "http://127.0.0.1:" + app.port() + "/api/v1/alerts/alertmanager",
                "127.0.0.1:" + exporter.getAddress().getPort());
        stack.up();
        app.start(Map.of(
                "quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + work.resolve("data/rootcause")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "rootcause.rules.dir", Path.of("src/test/resources/rules-injection").toAbsolutePath().toString(),
                "rootcause.sources.prometheus.url", Stack.PROMETHEUS));
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String q = URLEncoder.encode("count(injection_probe)", StandardCharsets.UTF_8);
            String body = http.send(HttpRequest.newBuilder(URI.create(Stack.PROMETHEUS + "/api/v1/query?query=" + q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("\"" + SERIES.size() + "\"]");
        });
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
            if (exporter != null) {
                exporter.stop(0);
            }
        } finally {
            if (stack != null) {
                stack.down();
            }
        }
    }

    @ParameterizedTest(name = "service={0}")
    @CsvSource(delimiter = ';', quoteCharacter = '§', value = {"a\"b", "a\\\"b", "a.b", "axb", "x}", "x"})
    void eachValueSelectsExactlyItsOwnSeries(String value) {
        String request = JsonNodeFactory.instance.objectNode().put("service", value).put("window", "5m").toString();
        HttpResponse<String> response = app.postJson("/api/v1/diagnose", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Double> values = new java.util.HashMap<>();
        for (JsonNode e : Api.read(response.body()).get("evidence")) {
            assertThat(e.get("status").asText()).as(e.toString()).isEqualTo("ok");
            values.put(e.get("step").asText(), e.at("/values/value").asDouble());
        }
        double own = SERIES.get(value);
        assertThat(values).containsEntry("exact", own).containsEntry("regex", own).containsEntry("matched", 1.0);
    }
}
