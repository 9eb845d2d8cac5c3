package dev.rootcause.api.docs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} as a client reads it: every endpoint of the resources is in it with its token, its errors in the
 * {@code {"error","field"}} shape, and examples that the service itself accepts. On loopback without tokens (the
 * default test profile), so it shares the application with the other default-profile tests.
 */
@QuarkusTest
class ApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private JsonNode doc;

    /** The document, read once per test: RestAssured knows the test port only once the application started. */
    @BeforeEach
    void fetch() throws Exception {
        doc = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    @Test
    void servesTheDocumentAsYamlAndJsonAndSwaggerUi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("title: rootcause API"));
        given().get("/q/openapi.json").then().statusCode(200).contentType(containsString("json"));
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("html"));
        assertThat(doc.at("/info/license/name").asText()).isEqualTo("Apache-2.0");
    }

    @Test
    void everyEndpointOfTheResourcesIsDocumentedAndNoPageIs() throws Exception {
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
        assertThat(documented).isEqualTo(endpoints());
    }

    @Test
    void everyOperationNamesItsTokenAndDescribesItsErrors() {
        List<String> problems = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(o -> {
            String op = o.getKey().toUpperCase() + " " + p.getKey();
            JsonNode operation = o.getValue();
            boolean intake = p.getKey().startsWith("/api/v1/alerts/") || p.getKey().startsWith("/api/v1/changes");
            String token = intake ? "intakeToken" : "apiToken";
            if (!operation.at("/security/0").has(token)) {
                problems.add(op + ": security is not " + token);
            }
            if (operation.path("summary").asText().isBlank() || !operation.path("tags").isArray()) {
                problems.add(op + ": no summary or tag");
            }
            JsonNode responses = operation.path("responses");
            for (String shared : List.of("401", "403")) {
                if (!responses.path(shared).path("$ref").asText().endsWith(shared.equals("401") ? "/Unauthorized" : "/Forbidden")) {
                    problems.add(op + ": " + shared + " is not the shared answer");
                }
            }
            if (!hasSuccess(responses)) {
                problems.add(op + ": no 2xx answer");
            }
            responses.fields().forEachRemaining(r -> {
                JsonNode answer = r.getValue();
                if (r.getKey().matches("[45]..") && !answer.has("$ref") && !r.getKey().equals("413")) {
                    boolean error = false;
                    for (JsonNode media : answer.path("content")) {
                        error |= media.at("/schema/$ref").asText().endsWith("/Error");
                    }
                    if (!error || answer.path("description").asText().isBlank()) {
                        problems.add(op + " " + r.getKey() + ": not described as an Error");
                    }
                }
            });
            if ((p.getKey().contains("{") || operation.has("requestBody") || operation.has("parameters"))
                    && !responses.has("400") && !p.getKey().startsWith("/api/v1/tickets/") && !p.getKey().contains("/changes/{id}")) {
                problems.add(op + ": takes input but documents no 400");
            }
        }));
        assertThat(problems).isEmpty();
        assertThat(doc.at("/components/securitySchemes/intakeToken/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/components/securitySchemes/apiToken/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void theDocumentsExamplesAreAcceptedByTheService() {
        for (String name : List.of("alertmanager", "grafana")) {
            ObjectNode body = (ObjectNode) doc.at("/components/examples/" + name + "Webhook/value").deepCopy();
            assertThat(body.isEmpty()).as(name).isFalse();
            String nonce = UUID.randomUUID().toString();
            body.put("groupKey", body.path("groupKey").asText() + "/" + nonce);
            ((ObjectNode) ((ArrayNode) body.get("alerts")).get(0)).put("fingerprint", nonce.substring(0, 16));
            given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/alerts/" + name)
                    .then().statusCode(202).body(containsString("accepted"));
        }
        JsonNode change = doc.at("/paths/~1api~1v1~1changes/post/requestBody/content/application~1json/example");
        ObjectNode body = (ObjectNode) (change.isTextual() ? read(change.asText()) : change.deepCopy());
        body.put("id", "openapi-example-" + UUID.randomUUID());
        body.put("verify", false);
        given().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/changes").then().statusCode(201);
    }

    private static boolean hasSuccess(JsonNode responses) {
        var names = responses.fieldNames();
        while (names.hasNext()) {
            if (names.next().startsWith("2")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("example is not JSON: " + text, e);
        }
    }

    /** "GET /api/v1/incidents/{id}" for every JAX-RS method of {@code dev.rootcause.api} outside the incident pages. */
    private static Set<String> endpoints() throws IOException, ClassNotFoundException {
        Set<String> out = new TreeSet<>();
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes");
        List<String> names;
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("dev/rootcause/api"))) {
            names = files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - 6).replace('/', '.')).toList();
        }
        assertThat(names).as("compiled resources in target/classes").isNotEmpty();
        for (String name : names) {
            Class<?> type = Class.forName(name);
            Path root = type.getAnnotation(Path.class);
            if (root == null || type.getPackageName().startsWith("dev.rootcause.api.page")) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST" : null;
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    String path = (root.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/");
                    out.add(verb + " " + (path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path));
                }
            }
        }
        return out;
    }
}
