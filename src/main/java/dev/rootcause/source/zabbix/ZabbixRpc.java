package dev.rootcause.source.zabbix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.source.BackendConfig;
import dev.rootcause.source.BackendHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zabbix's JSON-RPC 2.0 API ({@code POST <url>/api_jsonrpc.php}, Zabbix manual "API"), through {@link BackendHttp}
 * (retries of 5xx/429, circuit breaker, timeouts).
 *
 * <p>Authentication follows the server's version, asked once with {@code apiinfo.version} (which must be called
 * without authentication): before 6.4 the API token goes in the request body as {@code auth} (6.0 LTS ignores an
 * {@code Authorization} header: it answers "Not authorized."); from 6.4 on as {@code Authorization: Bearer}
 * (7.2 and later reject {@code auth}). A failed version call is asked again at the next call.
 *
 * <p>JSON-RPC errors arrive with HTTP 200 as {@code {"error": {"code", "message", "data"}}}: they are failures
 * (status {@code error}, the server's message and data in the reason), never empty data. The token is never put in
 * a reason.
 */
final class ZabbixRpc {

    /** The first version that reads {@code Authorization: Bearer} (Zabbix 6.4 release notes, "API"). */
    static final int BEARER_FROM = 604;
    private static final String PATH = "/api_jsonrpc.php";
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(\\..*)?");

    private final ObjectMapper json;
    private final Optional<String> token;
    private final BackendHttp bearer;
    private final BackendHttp plain;
    private final AtomicLong ids = new AtomicLong();
    private volatile Version version;

    /**
     * The server's version as {@code apiinfo.version} gave it.
     *
     * @param text    e.g. {@code 6.0.14}
     * @param ordinal major × 100 + minor, e.g. 600
     */
    record Version(String text, int ordinal) {
        boolean bearer() {
            return ordinal >= BEARER_FROM;
        }
    }

    ZabbixRpc(BackendConfig config, ObjectMapper json) {
        this.json = json;
        this.token = config.token().filter(t -> !t.isBlank());
        this.bearer = new BackendHttp("Zabbix", config);
        this.plain = new BackendHttp("Zabbix", withoutToken(config));
    }

    /**
     * Calls {@code method} and answers its {@code result}.
     *
     * @throws ItemHistorySourceException {@code error} for a JSON-RPC error (code, message, data), a body that is
     *                                    not a JSON-RPC answer, or an HTTP failure; {@code timeout} when no answer
     *                                    came in time
     */
    JsonNode call(String method, ObjectNode params) throws ItemHistorySourceException {
        Version v = version();
        ObjectNode request = request(method, params);
        if (!v.bearer() && token.isPresent()) {
            request.put("auth", token.get());
        }
        return result(method, post(v.bearer() ? bearer : plain, request));
    }

    /** The server's version, asked once ({@code apiinfo.version}, without authentication). */
    Version version() throws ItemHistorySourceException {
        Version v = version;
        if (v != null) {
            return v;
        }
        JsonNode result = result("apiinfo.version", post(plain, request("apiinfo.version", json.createObjectNode())));
        Matcher m = VERSION.matcher(result.asText(""));
        if (!m.matches()) {
            throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix apiinfo.version answered \"" + result.asText("")
                    + "\", not a version");
        }
        v = new Version(result.asText(), Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2)));
        version = v;
        return v;
    }

    private ObjectNode request(String method, ObjectNode params) {
        ObjectNode r = json.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.put("method", method);
        r.set("params", params);
        r.put("id", ids.incrementAndGet());
        return r;
    }

    private String post(BackendHttp http, ObjectNode request) throws ItemHistorySourceException {
        try {
            return http.postJson(PATH, json.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix request not writable: " + e.getOriginalMessage());
        } catch (SourceException e) {
            throw new ItemHistorySourceException(e.status(), hide(e.getMessage()));
        }
    }

    private JsonNode result(String method, String body) throws ItemHistorySourceException {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix " + method + " answered something other than JSON: "
                    + cut(body));
        }
        JsonNode error = answer == null ? null : answer.get("error");
        if (error != null && !error.isNull()) {
            String data = error.path("data").asText("");
            throw new ItemHistorySourceException(Evidence.Status.ERROR, hide("Zabbix " + method + " failed: "
                    + error.path("message").asText("error") + " (code " + error.path("code").asText("?") + ")"
                    + (data.isBlank() ? "" : ": " + data)));
        }
        if (answer == null || !answer.has("result")) {
            throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix " + method
                    + " answered neither result nor error: " + cut(body));
        }
        return answer.get("result");
    }

    private String hide(String text) {
        return token.map(t -> text.replace(t, "***")).orElse(text);
    }

    private String cut(String body) {
        String text = body == null ? "" : hide(body.strip().replaceAll("\\s+", " "));
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static BackendConfig withoutToken(BackendConfig c) {
        return new BackendConfig() {
            public URI url() {
                return c.url();
            }

            public Duration timeout() {
                return c.timeout();
            }

            public int maxRetries() {
                return c.maxRetries();
            }

            public Duration maxRetryAfter() {
                return c.maxRetryAfter();
            }

            public Optional<String> token() {
                return Optional.empty();
            }

            public Optional<String> username() {
                return Optional.empty();
            }

            public Optional<String> password() {
                return Optional.empty();
            }

            public Optional<String> orgId() {
                return Optional.empty();
            }
        };
    }
}
