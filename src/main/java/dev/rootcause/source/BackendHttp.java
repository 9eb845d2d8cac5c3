package dev.rootcause.source;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.support.RetryAfter;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * GET requests to one log or trace backend, guarded by SmallRye Fault Tolerance: a 5xx, a 429 or a
 * refused connection is retried ({@link BackendConfig#maxRetries()}) after the backend's
 * {@code Retry-After} (seconds or an HTTP date) or 250 ms doubling; a circuit breaker stops asking a backend
 * that failed 6 of its last 10 calls for 30 s. Every failure becomes a {@link SourceException} whose
 * message names the backend, the HTTP status and the backend's reason, never a credential.
 */
public final class BackendHttp {

    /** Error bodies are cut to this many characters in evidence. */
    static final int MAX_REASON = 300;

    private final String backend;
    private final BackendConfig config;
    private final HttpClient http;
    private final Guard guard;

    /** Thrown inside the guard for a failure worth retrying. */
    static final class Retryable extends RuntimeException {
        final Duration retryAfter;
        final SourceException failure;

        Retryable(SourceException failure, Duration retryAfter) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    /** Thrown inside the guard for a failure not worth retrying (4xx, timeout). */
    static final class Final extends RuntimeException {
        final SourceException failure;

        Final(SourceException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** @param backend name in messages, e.g. {@code Zipkin} */
    public BackendHttp(String backend, BackendConfig config) {
        this.backend = backend;
        this.config = config;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.guard = Guard.create().withDescription(backend)
                .withRetry().maxRetries(config.maxRetries()).retryOn(Retryable.class).abortOn(Final.class)
                .withCustomBackoff().strategy(RetryAfterBackoff::new).done().done()
                .withCircuitBreaker().onStateChange(CircuitStates.track(backend)).requestVolumeThreshold(10).failureRatio(0.6).delay(30, ChronoUnit.SECONDS)
                .failOn(Retryable.class).skipOn(Final.class).done()
                .build();
    }

    /** The URL a GET of {@code path} with {@code params} goes to (params URL-encoded, in the given order). */
    public String url(String path, Map<String, String> params) {
        StringBuilder url = new StringBuilder(config.url().toString().replaceAll("/+$", "")).append(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return url.toString();
    }

    /**
     * GET and answer the body of a 2xx.
     *
     * @throws SourceException status {@code timeout} when no answer came within the timeout, {@code error}
     *                         for anything else (HTTP status and the backend's text in the message)
     */
    public String get(String path, Map<String, String> params) throws SourceException {
        return call(url(path, params), null);
    }

    /**
     * POST a JSON body and answer the body of a 2xx (Elasticsearch's {@code _search}).
     *
     * @throws SourceException as {@link #get}
     */
    public String postJson(String path, String json) throws SourceException {
        return call(url(path, Map.of()), json);
    }

    private String call(String url, String json) throws SourceException {
        try {
            return guard.call(() -> once(url, json), String.class);
        } catch (Retryable e) {
            throw e.failure;
        } catch (Final e) {
            throw e.failure;
        } catch (CircuitBreakerOpenException e) {
            throw new SourceException(Evidence.Status.ERROR, backend + " not asked: it failed repeatedly, circuit open for up to 30s");
        } catch (SourceException e) {
            throw e;
        } catch (Exception e) {
            throw new SourceException(Evidence.Status.ERROR, backend + " call failed: " + e.getClass().getSimpleName());
        }
    }

    private String once(String url, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(config.timeout())
                .header("Accept", "application/json");
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        if (config.token().isPresent()) {
            request.header("Authorization", "Bearer " + config.token().get());
        } else if (config.username().isPresent()) {
            String pair = config.username().get() + ":" + config.password().orElse("");
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        config.orgId().ifPresent(org -> request.header("X-Scope-OrgID", org));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Final(new SourceException(Evidence.Status.TIMEOUT,
                    backend + " did not answer within " + config.timeout().toMillis() + " ms"));
        } catch (ConnectException e) {
            throw new Retryable(new SourceException(Evidence.Status.ERROR, backend + " at " + config.url() + " unreachable: connection refused"),
                    null);
        } catch (IOException e) {
            throw new Retryable(new SourceException(Evidence.Status.ERROR, backend + " at " + config.url() + " unreachable: "
                    + e.getClass().getSimpleName()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Final(new SourceException(Evidence.Status.TIMEOUT, backend + " call interrupted (step timeout)"));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String reason = backend + " answered " + status + ": " + reason(response.body());
        if (status == 429 || status >= 500) {
            Duration wait = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC()).orElse(null);
            if (wait != null && wait.compareTo(config.maxRetryAfter()) > 0) {
                throw new Final(new SourceException(Evidence.Status.ERROR, reason + " (Retry-After " + wait.toSeconds()
                        + "s is longer than the " + config.maxRetryAfter().toSeconds() + "s we wait)"));
            }
            throw new Retryable(new SourceException(Evidence.Status.ERROR, reason), wait);
        }
        throw new Final(new SourceException(Evidence.Status.ERROR, reason));
    }

    /** The backend's error text: Loki and Zipkin answer text/plain, others JSON; cut to {@link #MAX_REASON}. */
    static String reason(String body) {
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "(no body)";
        }
        if (text.length() > MAX_REASON) {
            int cut = Character.isHighSurrogate(text.charAt(MAX_REASON - 1)) ? MAX_REASON - 1 : MAX_REASON;
            return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
        }
        return text;
    }

    /** Waits what the backend asked (Retry-After), else 250 ms doubling. */
    static final class RetryAfterBackoff implements CustomBackoffStrategy {
        private long next = 250;

        @Override
        public long nextDelayInMillis(Throwable cause) {
            if (cause instanceof Retryable r && r.retryAfter != null) {
                return r.retryAfter.toMillis();
            }
            long now = next;
            next = Math.min(next * 2, 4000);
            return now;
        }
    }
}
