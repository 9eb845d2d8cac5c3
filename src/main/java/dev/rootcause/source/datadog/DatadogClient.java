package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.HttpGuard;
import dev.rootcause.source.SourceFailures;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One Datadog API client with its guard, shared by the metrics source, the graph's edge source and the events poll.
 * A 5xx or 429 is retried ({@link HttpGuard}); a 429 without {@code Retry-After} waits as its
 * {@code X-RateLimit-Reset} says (seconds until the limit's period resets, docs.datadoghq.com/api/latest/rate-limits/),
 * up to {@code max-retry-after}. A 403 (wrong or revoked key, or a key without the scope) fails at once with a
 * reason naming the settings to check, never their values.
 */
final class DatadogClient {

    private final DatadogConfig config;
    private final ObjectMapper json;
    private final DatadogKeys keys;
    private final DatadogApi api;
    private final HttpGuard guard;

    DatadogClient(DatadogConfig config, ObjectMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.keys = new DatadogKeys(config.apiKey(), config.applicationKey());
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(config.apiUrl())
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .clientHeadersFactory(keys)
                .build(DatadogApi.class);
        this.guard = new HttpGuard("datadog", config.guardSettings(), clock, DatadogClient::rateLimitReset);
    }

    DatadogConfig config() {
        return config;
    }

    /**
     * Runs a call of the API under the guard.
     *
     * @param failure makes the port's exception from a status and a reason safe to show
     * @throws E status {@code skipped} when a key is unset, {@code error} or {@code timeout} otherwise
     */
    <E extends SourceException> JsonNode call(Function<DatadogApi, JsonNode> call, Failure<E> failure) throws E {
        if (!keys.complete()) {
            throw failure.of(Evidence.Status.SKIPPED, "Datadog keys not configured (rootcause.sources.datadog.api-key and application-key)");
        }
        try {
            return guard.call((Callable<JsonNode>) () -> call.apply(api));
        } catch (RuntimeException e) {
            SourceFailures.Failure f = SourceFailures.describe(e, "Datadog", config.apiUrl(), config.timeout(), this::serverText);
            throw failure.of(f.status(), f.reason());
        }
    }

    /** A port's exception constructor. */
    @FunctionalInterface
    interface Failure<E extends SourceException> {
        E of(Evidence.Status status, String reason);
    }

    /**
     * Datadog's error body {@code {"errors": ["..."]}}, joined; a 403 adds which settings to check. The request's
     * headers (the keys) are never read here.
     */
    private String serverText(Response response) {
        String text = response.readEntity(String.class);
        String said = text == null ? "" : text.strip();
        try {
            JsonNode body = json.readTree(said);
            if (body != null && body.has("errors")) {
                StringBuilder b = new StringBuilder();
                body.get("errors").forEach(e -> b.append(b.isEmpty() ? "" : "; ").append(e.asText()));
                said = b.toString();
            }
        } catch (Exception notJson) {
            // a proxy's page: its start
        }
        said = said.substring(0, Math.min(200, said.length()));
        if (response.getStatus() == 403) {
            return said + " (check rootcause.sources.datadog.api-key, application-key and its scopes, and site=" + config.site() + ")";
        }
        return said;
    }

    /** {@code X-RateLimit-Reset}: whole seconds until the rate-limit period resets; null when absent or unreadable. */
    static Duration rateLimitReset(Response response) {
        String reset = response.getHeaderString("X-RateLimit-Reset");
        if (reset == null || !reset.strip().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(reset.strip()));
    }
}
