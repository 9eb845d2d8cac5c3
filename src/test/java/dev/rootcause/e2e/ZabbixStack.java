package dev.rootcause.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code scripts/zabbix.sh}: a real Zabbix 6.0 (Debian's zabbix-server-pgsql and zabbix-frontend-php under
 * PHP's built-in server) on loopback ports chosen free at construction, with a private database; its JSON-RPC API
 * (as a person would configure Zabbix, logged in as the default Admin) and its trapper (the Zabbix sender protocol:
 * Debian 12 ships no zabbix-sender package, so the test speaks the protocol itself).
 */
final class ZabbixStack {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int serverPort;
    private final int webPort;
    private final String database;
    private String session;

    ZabbixStack(Path dir) throws IOException {
        this.dir = dir;
        this.serverPort = freePort(); // zabbix_server takes ListenPort 1024-32767 only, below the ephemeral range
        this.webPort = freePort();
        this.database = "zabbix_it_" + serverPort;
    }

    /** The frontend's base URL, e.g. {@code http://127.0.0.1:40123/}. */
    String frontend() {
        return "http://127.0.0.1:" + webPort + "/";
    }

    /**
     * @throws IllegalStateException with the script's output when Zabbix cannot start (a package that is missing and
     *                               cannot be installed, PostgreSQL down): the suite fails, never skips
     */
    void up() throws IOException, InterruptedException {
        run("up", 300);
    }

    void down() throws IOException, InterruptedException {
        run("down", 90);
    }

    /** Calls the API as the default super admin ({@code Admin}/{@code zabbix} of data.sql), logging in once. */
    JsonNode api(String method, Object params) throws IOException, InterruptedException {
        if (session == null) {
            ObjectNode login = JSON.createObjectNode().put("username", "Admin").put("password", "zabbix");
            session = call(null, "user.login", login).asText();
        }
        return call(session, method, params);
    }

    private JsonNode call(String auth, String method, Object params) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method).put("id", 1);
        body.set("params", JSON.valueToTree(params));
        if (auth != null) {
            body.put("auth", auth);
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(frontend() + "api_jsonrpc.php"))
                .header("Content-Type", "application/json-rpc").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(r.body());
        if (r.statusCode() != 200 || answer.has("error")) {
            throw new IllegalStateException("Zabbix " + method + " failed (HTTP " + r.statusCode() + "): " + r.body());
        }
        return answer.get("result");
    }

    /**
     * Sends values to trapper items (Zabbix manual, "Zabbix sender protocol": {@code ZBXD\1}, the data length as a
     * little-endian 32-bit number and 4 reserved bytes, then {@code {"request":"sender data","data":[...]}}).
     *
     * @param rows {@code {host, key, value, clock?, ns?}} each
     * @return how many the server processed (its answer's {@code info}: "processed: n; failed: m; ...")
     */
    int send(List<ObjectNode> rows) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("request", "sender data");
        ArrayNode data = request.putArray("data");
        rows.forEach(data::add);
        byte[] payload = request.toString().getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", serverPort), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            ByteBuffer header = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
            header.put(new byte[] {'Z', 'B', 'X', 'D', 1}).putInt(payload.length).putInt(0);
            out.write(header.array());
            out.write(payload);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(answer);
            byte[] a = answer.toByteArray();
            if (a.length < 13 || !Arrays.equals(Arrays.copyOf(a, 4), new byte[] {'Z', 'B', 'X', 'D'})) {
                throw new IOException("not a Zabbix sender answer: " + new String(a, StandardCharsets.UTF_8));
            }
            JsonNode json = JSON.readTree(Arrays.copyOfRange(a, 13, a.length));
            String info = json.path("info").asText();
            var m = java.util.regex.Pattern.compile("processed: (\\d+)").matcher(info);
            if (!"success".equals(json.path("response").asText()) || !m.find()) {
                throw new IOException("Zabbix refused the values: " + json);
            }
            return Integer.parseInt(m.group(1));
        }
    }

    static ObjectNode value(String host, String key, double value, long clock) {
        return JSON.createObjectNode().put("host", host).put("key", key).put("value", String.valueOf(value)).put("clock", clock)
                .put("ns", 0);
    }

    /** A port in 20000-32767 nothing listens on now (zabbix_server's ListenPort range ends at 32767). */
    private static int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 100; i++) {
            int port = 20000 + random.nextInt(12768);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 20000-32767 on loopback after 100 tries");
    }

    private void run(String verb, int timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = dir.resolve("zabbix-" + verb + ".out");
        ProcessBuilder pb = new ProcessBuilder("scripts/zabbix.sh", verb).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ZBX_DIR", dir.toString());
        pb.environment().put("ZBX_DB", database);
        pb.environment().put("ZBX_SERVER_PORT", String.valueOf(serverPort));
        pb.environment().put("ZBX_WEB_PORT", String.valueOf(webPort));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/zabbix.sh " + verb + " did not finish in " + timeoutSeconds + "s: " + Files.readString(out));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("scripts/zabbix.sh " + verb + " failed (exit " + p.exitValue() + "):\n" + Files.readString(out));
        }
    }
}
