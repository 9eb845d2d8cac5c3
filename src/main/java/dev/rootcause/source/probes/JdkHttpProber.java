package dev.rootcause.source.probes;

import dev.rootcause.diagnosis.port.HttpProber;
import dev.rootcause.rule.Durations;
import dev.rootcause.rule.ServiceCatalogue;
import dev.rootcause.support.RetryAfter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link HttpProber} on the JDK {@link HttpClient}: {@code GET} the health URL, no redirects followed, each
 * attempt cut off at the dependency's timeout (connect, headers and body), then up to {@code retries}
 * more attempts after a timeout, a connection error, a 5xx or a 429, with exponential backoff (100 ms,
 * 200 ms, 400 ms ..., never more than the timeout) or the server's {@code Retry-After} (seconds or an HTTP-date) when it is
 * no longer than the timeout; a longer one is not waited for and the result says so.
 *
 * <p>A dependency whose URL is not in the catalogue in force is refused (defence in depth: the step only
 * hands over catalogued dependencies). Retries are a plain loop rather than SmallRye Fault Tolerance
 * because each dependency carries its own timeout and retry count from the catalogue, which change on
 * reload. There is no circuit breaker: a probe's job is to report a dead dependency, not to stop asking.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // build the client (TLS context, selector thread) at boot, not inside the first probe's latency
public class JdkHttpProber implements HttpProber {

    /** First pause between attempts; it doubles each time. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** Characters of a failing answer's body kept in the evidence. */
    static final int BODY_CHARS = 200;

    private final ServiceCatalogue catalogue;
    private final HttpClient client;
    private final ExecutorService executor;

    @Inject
    JdkHttpProber(ServiceCatalogue catalogue) {
        this.catalogue = catalogue;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rootcause-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).executor(executor)
                .connectTimeout(Duration.ofSeconds(10)).build();
        // load the request and body classes now: a first probe measured 0.5 s more than later ones on a cold JVM
        HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1/")).GET().timeout(Duration.ofSeconds(1)).build();
        HttpResponse.BodyHandlers.ofByteArray();
    }

    /** A prober for tests and tools, outside the container. */
    public static JdkHttpProber over(ServiceCatalogue catalogue) {
        return new JdkHttpProber(catalogue);
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ServiceCatalogue.Dependency dependency) {
        if (!dependency.probed()) {
            return CompletableFuture.failedFuture(new ProbeException("not probed: " + dependency.name()
                    + " has no health URL in services.yaml"));
        }
        boolean catalogued = catalogue.services().stream().flatMap(s -> s.dependencies().stream())
                .anyMatch(d -> dependency.health().equals(d.health()));
        if (!catalogued) {
            return CompletableFuture.failedFuture(new ProbeException("refused to probe " + dependency.health()
                    + ": not a health URL in services.yaml (probes reach only catalogued URLs)"));
        }
        return attempt(dependency, 1);
    }

    private CompletableFuture<ProbeResult> attempt(ServiceCatalogue.Dependency d, int n) {
        HttpRequest request = HttpRequest.newBuilder(d.health()).GET().timeout(d.timeout())
                .header("User-Agent", "rootcause-probe").header("Accept", "*/*").build();
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(d.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> result(d, n, start, response, failure))
                .thenCompose(r -> retry(d, n, r));
    }

    /** The attempt's result, and when another attempt should follow, how long to wait first (else null). */
    private record Attempt(ProbeResult result, Duration pause) {
    }

    private Attempt result(ServiceCatalogue.Dependency d, int n, long start, HttpResponse<byte[]> response, Throwable failure) {
        double ms = (System.nanoTime() - start) / 1e6;
        String url = d.health().toString();
        boolean canRetry = n <= d.retries();
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(n - 1, 10));
        backoff = backoff.compareTo(d.timeout()) > 0 ? d.timeout() : backoff;
        if (failure != null) {
            Throwable c = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            boolean timeout = c instanceof TimeoutException || c instanceof HttpTimeoutException;
            Outcome outcome = timeout ? Outcome.TIMEOUT : Outcome.UNREACHABLE;
            String why = timeout ? "no answer within " + Durations.format(d.timeout())
                    : (c instanceof ConnectException ? "connection failed: " : "") + describe(c);
            return new Attempt(new ProbeResult(d.name(), url, outcome, 0, ms, n, why), canRetry ? backoff : null);
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return new Attempt(new ProbeResult(d.name(), url, Outcome.HEALTHY, code, ms, n, null), null);
        }
        String error = "HTTP " + code;
        if (code >= 300 && code < 400) {
            error += ", redirect to " + response.headers().firstValue("Location").orElse("?")
                    + " not followed (probes reach only catalogued URLs)";
        } else {
            error += body(response.body());
        }
        Duration wait = null;
        if (canRetry && (code >= 500 || code == 429)) {
            Optional<Duration> after = retryAfter(response);
            if (after.isPresent() && after.get().compareTo(d.timeout()) > 0) {
                error += "; asked to retry after " + Durations.format(after.get()) + ", longer than the timeout, not waited for";
            } else {
                wait = after.orElse(backoff);
            }
        }
        return new Attempt(new ProbeResult(d.name(), url, Outcome.UNHEALTHY, code, ms, n, error), wait);
    }

    private CompletableFuture<ProbeResult> retry(ServiceCatalogue.Dependency d, int n, Attempt a) {
        if (a.pause() == null) {
            return CompletableFuture.completedFuture(a.result());
        }
        Executor later = CompletableFuture.delayedExecutor(a.pause().toMillis(), TimeUnit.MILLISECONDS, executor);
        return CompletableFuture.supplyAsync(() -> null, later).thenCompose(v -> attempt(d, n + 1));
    }

    /** {@code Retry-After}, seconds or an HTTP-date ({@link RetryAfter}); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC());
    }

    private static String body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "";
        }
        String text = new String(bytes, 0, Math.min(bytes.length, BODY_CHARS * 4), StandardCharsets.UTF_8)
                .replaceAll("[\\p{Cntrl}&&[^\n]]", "").replaceAll("\\s+", " ").strip();
        if (text.length() > BODY_CHARS) {
            int end = Character.isHighSurrogate(text.charAt(BODY_CHARS - 1)) ? BODY_CHARS - 1 : BODY_CHARS;
            text = text.substring(0, end) + "…";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    /** e.g. {@code ConnectException (ClosedChannelException)} or {@code UnresolvedAddressException: host}. */
    private static String describe(Throwable t) {
        if (t.getMessage() != null) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getCause() == null ? "" : " (" + t.getCause().getClass().getSimpleName() + ")");
    }
}
