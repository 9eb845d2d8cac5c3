package dev.rootcause;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process, for tests that
 * must kill it. Its working directory holds an {@code application.properties} written by the test, as an
 * operator's would be.
 */
public final class PackagedApp implements AutoCloseable {

    /** How long a start may take: 60 s was not enough for a third JVM on 2 cores under load 37 (62 s measured). */
    static final Duration READY_WITHIN = Duration.ofSeconds(180);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path workDir;
    private final int port;
    private Process process;

    public PackagedApp(Path workDir) throws IOException {
        this.workDir = workDir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    /** The loopback port the service listens on (chosen at construction). */
    public int port() {
        return port;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("rootcause.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged app missing at " + jar.toAbsolutePath()
                    + ": run ./mvnw verify (the package phase builds it before integration tests)");
        }
        return jar.toAbsolutePath();
    }

    /** Writes the working-directory configuration and starts the service; returns once it is ready. */
    public PackagedApp start(Map<String, String> properties) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("quarkus.http.port=" + port);
        lines.add("quarkus.http.host=127.0.0.1");
        properties.forEach((k, v) -> lines.add(k + "=" + v));
        Files.write(workDir.resolve("application.properties"), lines);
        process = new ProcessBuilder("java", "-Xmx256m", "-jar", jar().toString())
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("service.log").toFile())).start();
        await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + "; see "
                        + workDir.resolve("service.log"));
            }
            return ready();
        });
        return this;
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    /** A GET whose body is binary (a zip). */
    public HttpResponse<byte[]> getBytes(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> postJson(String path, String json) {
        return post(path, json);
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
