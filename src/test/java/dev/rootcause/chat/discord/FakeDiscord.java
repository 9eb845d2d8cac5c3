package dev.rootcause.chat.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.FileSource;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Discord for a real JDA (docs/development.md, "A fake Discord"): WireMock serves the REST API under {@code /api/v10/}
 * and a Vert.x WebSocket server plays the gateway (HELLO, READY, GUILD_CREATE, heartbeat ACKs, and
 * INTERACTION_CREATE on demand). Messages created are answered with a message object whose id is
 * fresh; creating a message with a nonce already seen answers the first message again, as Discord
 * does with {@code enforce_nonce}.
 */
public final class FakeDiscord implements AutoCloseable {

    public static final String TOKEN = "fake-bot-token.secret.value";
    public static final String GUILD = "900000000000000001";
    public static final String CHANNEL = "900000000000000002";
    public static final String BOT = "900000000000000003";
    public static final String APP = "900000000000000004";
    public static final String ONCALL_ROLE = "900000000000000010";
    public static final String RESPONDER_ROLE = "900000000000000011";

    static final ObjectMapper JSON = new ObjectMapper();

    public final WireMockServer rest;
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer gateway;
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    final AtomicInteger identifies = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();

    public FakeDiscord() throws Exception {
        rest = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Messages()));
        rest.start();
        stubDefaults();
        // requestHandler + toWebSocket: webSocketHandler alone failed after other @QuarkusTests (docs/development.md, "A fake Discord")
        gateway = vertx.createHttpServer().requestHandler(req -> req.toWebSocket().onSuccess(this::session))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String restBase() {
        return "http://127.0.0.1:" + rest.port() + "/api/v10/";
    }

    public String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.actualPort() + "/";
    }

    /** Back to the default answers, requests forgotten. */
    public void reset() {
        rest.resetAll();
        stubDefaults();
    }

    private void stubDefaults() {
        rest.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        rest.stubFor(get(urlPathMatching("/api/v10/users/@me")).willReturn(okJson(user(BOT, "rootcause", true).toString())));
        rest.stubFor(get(urlPathMatching("/api/v10/applications/@me")).willReturn(okJson(
                "{\"id\":\"" + APP + "\",\"name\":\"rootcause\",\"flags\":0,\"bot_public\":false}")));
        rest.stubFor(put(urlMatching("/api/v10/applications/.*/commands")).willReturn(okJson("[]")));
        rest.stubFor(post(urlPathMatching("/api/v10/channels/[0-9]+/messages")).atPriority(5)
                .willReturn(aResponse().withTransformers(Messages.NAME)));
        rest.stubFor(patch(urlPathMatching("/api/v10/channels/[0-9]+/messages/[0-9]+")).atPriority(5)
                .willReturn(aResponse().withTransformers(Messages.NAME)));
        rest.stubFor(post(urlPathMatching("/api/v10/channels/[0-9]+/messages/[0-9]+/threads")).atPriority(5)
                .willReturn(aResponse().withTransformers(Messages.NAME)));
        rest.stubFor(post(urlPathMatching("/api/v10/webhooks/.*")).atPriority(5)
                .willReturn(aResponse().withTransformers(Messages.NAME)));
        rest.stubFor(patch(urlPathMatching("/api/v10/webhooks/.*")).atPriority(5)
                .willReturn(aResponse().withTransformers(Messages.NAME)));
        rest.stubFor(post(urlPathMatching("/api/v10/interactions/.*/callback")).atPriority(5)
                .willReturn(aResponse().withStatus(204)));
    }

    private void session(ServerWebSocket ws) {
        sockets.add(ws);
        ws.closeHandler(v -> sockets.remove(ws));
        ws.textMessageHandler(text -> {
            try {
                JsonNode msg = JSON.readTree(text);
                switch (msg.path("op").asInt()) {
                    case 1 -> ws.writeTextMessage("{\"op\":11}");
                    case 2 -> {
                        identifies.incrementAndGet();
                        ready(ws);
                    }
                    case 6 -> {
                        resumes.incrementAndGet();
                        dispatch(ws, "RESUMED", JSON.createObjectNode());
                    }
                    default -> { }
                }
            } catch (Exception e) {
                ws.close();
            }
        });
        ws.writeTextMessage("{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}");
    }

    private void ready(ServerWebSocket ws) {
        ObjectNode d = JSON.createObjectNode();
        d.put("v", 10);
        d.set("user", user(BOT, "rootcause", true));
        d.putArray("guilds").addObject().put("id", GUILD).put("unavailable", true);
        d.putArray("private_channels");
        d.put("session_id", "fake-session");
        d.put("resume_gateway_url", gatewayUrl());
        d.putObject("application").put("id", APP).put("flags", 0);
        dispatch(ws, "READY", d);
        dispatch(ws, "GUILD_CREATE", guild());
    }

    private void dispatch(ServerWebSocket ws, String type, JsonNode d) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("op", 0).put("t", type).put("s", seq.incrementAndGet()).set("d", d);
        ws.writeTextMessage(msg.toString());
    }

    static ObjectNode user(String id, String name, boolean bot) {
        ObjectNode u = JSON.createObjectNode();
        u.put("id", id).put("username", name).put("discriminator", "0").put("global_name", name).putNull("avatar").put("bot", bot);
        return u;
    }

    private static ObjectNode role(String id, String name, String permissions, int position) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", id).put("name", name).put("color", 0).put("hoist", false).put("position", position)
                .put("permissions", permissions).put("managed", false).put("mentionable", true).put("flags", 0);
        r.putObject("colors").put("primary_color", 0).putNull("secondary_color").putNull("tertiary_color");
        return r;
    }

    private ObjectNode guild() {
        ObjectNode g = JSON.createObjectNode();
        g.put("id", GUILD).put("name", "ops").put("owner_id", "900000000000000099").put("member_count", 3)
                .put("unavailable", false).put("large", false).putNull("icon").put("afk_timeout", 300)
                .put("verification_level", 0).put("default_message_notifications", 0).put("explicit_content_filter", 0)
                .put("mfa_level", 0).put("nsfw_level", 0).put("premium_tier", 0).put("preferred_locale", "en-US");
        ArrayNode roles = g.putArray("roles");
        roles.add(role(GUILD, "@everyone", "8", 0)); // ADMINISTRATOR: JDA's own permission checks pass
        roles.add(role(ONCALL_ROLE, "oncall", "0", 1));
        roles.add(role(RESPONDER_ROLE, "responder", "0", 2));
        ObjectNode channel = g.putArray("channels").addObject();
        channel.put("id", CHANNEL).put("type", 0).put("name", "incidents").put("position", 0).put("guild_id", GUILD)
                .put("nsfw", false).put("rate_limit_per_user", 0).putArray("permission_overwrites");
        ObjectNode self = g.putArray("members").addObject();
        self.set("user", user(BOT, "rootcause", true));
        self.putArray("roles");
        self.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false);
        for (String empty : List.of("threads", "guild_scheduled_events", "emojis", "voice_states", "stickers",
                "soundboard_sounds", "features", "presences")) {
            g.putArray(empty);
        }
        return g;
    }

    /**
     * Sends INTERACTION_CREATE to every connected gateway session.
     *
     * @param type  2 = application command, 3 = message component, 4 = autocomplete
     * @param roles the clicking member's role ids
     * @return the interaction id
     */
    public String interaction(int type, JsonNode data, String userId, String userName, List<String> roles) {
        return interaction(1, type, data, userId, userName, roles);
    }

    /**
     * Sends one INTERACTION_CREATE {@code copies} times to every connected session, as Discord sends an
     * interaction to every gateway session of the bot: two copies stand for two replicas' sessions overlapping
     * during a hand-over (answered by whichever session's callback comes first; a second callback is refused
     * with 40060 "Interaction has already been acknowledged").
     */
    public String interaction(int copies, int type, JsonNode data, String userId, String userName, List<String> roles) {
        String id = snowflake();
        ObjectNode d = JSON.createObjectNode();
        d.put("id", id).put("application_id", APP).put("type", type).put("token", "itoken-" + id).put("version", 1)
                .put("guild_id", GUILD).put("channel_id", CHANNEL).put("locale", "en-US").put("guild_locale", "en-US")
                .put("app_permissions", "8").put("context", 0);
        d.putObject("authorizing_integration_owners").put("0", GUILD);
        d.putObject("guild").put("id", GUILD).put("locale", "en-US").putArray("features");
        ObjectNode channel = d.putObject("channel");
        channel.put("id", CHANNEL).put("type", 0).put("name", "incidents").put("guild_id", GUILD);
        ObjectNode member = d.putObject("member");
        member.set("user", user(userId, userName, false));
        ArrayNode r = member.putArray("roles");
        roles.forEach(r::add);
        member.put("joined_at", "2026-01-01T00:00:00.000000+00:00").put("permissions", "0").put("deaf", false).put("mute", false);
        d.set("data", data);
        if (type == 3) {
            ObjectNode message = d.putObject("message");
            message.put("id", snowflake()).put("channel_id", CHANNEL).put("content", "").put("type", 0)
                    .put("timestamp", "2026-01-01T00:00:00.000000+00:00").put("tts", false).put("pinned", false)
                    .put("mention_everyone", false).putArray("embeds");
            message.set("author", user(BOT, "rootcause", true));
            message.putArray("attachments");
            message.putArray("mentions");
            message.putArray("mention_roles");
            message.putArray("components");
        }
        for (int i = 0; i < copies; i++) {
            sockets.forEach(ws -> dispatch(ws, "INTERACTION_CREATE", d));
        }
        return id;
    }

    /** A Discord id made now: JDA reads an interaction's age from its id (interactions expire after 15 min). */
    static String snowflake() {
        return Long.toString(((System.currentTimeMillis() - 1_420_070_400_000L) << 22) | (SEQUENCE.incrementAndGet() & 0x3FFFFF));
    }

    /** Closes every gateway session as a network drop would (JDA reconnects). */
    public void dropGateway() {
        sockets.forEach(ws -> ws.close((short) 4000, "test drop"));
    }

    /** IDENTIFYs received: a new session each (a RESUME is not one). */
    public int identifyCount() {
        return identifies.get();
    }

    public int sessions() {
        return sockets.size();
    }

    /** Requests received, oldest first. */
    public List<LoggedRequest> requests() {
        return rest.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    /** Requests with a method and a URL path matching a regex, oldest first. */
    public List<LoggedRequest> requests(String method, String pathRegex) {
        return requests().stream().filter(r -> r.getMethod().getName().equals(method) && r.getUrl().split("\\?")[0].matches(pathRegex))
                .toList();
    }

    /** The JSON part of a request: the body, or the {@code payload_json} part of a multipart body. */
    public static JsonNode payload(LoggedRequest r) {
        try {
            if (r.isMultipart()) {
                for (Request.Part part : r.getParts()) {
                    if ("payload_json".equals(part.getName())) {
                        return JSON.readTree(part.getBody().asString());
                    }
                }
                return null;
            }
            return JSON.readTree(r.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file parts of a multipart request (name → bytes). */
    public static java.util.Map<String, byte[]> files(LoggedRequest r) {
        java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        if (r.isMultipart()) {
            for (Request.Part part : r.getParts()) {
                if (part.getName().startsWith("files[")) {
                    out.put(part.getName(), part.getBody().asBytes());
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        rest.stop();
        gateway.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /**
     * Answers message creates, edits, thread creates and webhook (interaction follow-up) messages with
     * Discord-shaped objects; a nonce seen before answers the message it created (enforce_nonce).
     */
    static final class Messages implements ResponseTransformerV2 {
        static final String NAME = "discord-messages";
        private final java.util.Map<String, ObjectNode> byNonce = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            LoggedRequest r = event.getRequest();
            String path = r.getUrl().split("\\?")[0];
            JsonNode body = payload(r);
            ObjectNode out;
            if (path.endsWith("/threads")) {
                String parent = path.split("/")[4];
                String messageId = path.split("/")[6];
                out = JSON.createObjectNode();
                // a thread started from a message has the message's id
                out.put("id", messageId).put("type", 11).put("guild_id", GUILD).put("parent_id", parent)
                        .put("name", body == null ? "thread" : body.path("name").asText()).put("owner_id", BOT)
                        .put("message_count", 0).put("member_count", 1);
                out.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 1440)
                        .put("locked", false).put("archive_timestamp", "2026-01-01T00:00:00.000000+00:00");
            } else {
                String nonce = body == null ? null : body.path("nonce").asText(null);
                if (nonce != null && byNonce.containsKey(nonce) && "POST".equals(r.getMethod().getName())) {
                    return Response.Builder.like(response).but().status(200).body(byNonce.get(nonce).toString())
                            .headers(new com.github.tomakehurst.wiremock.http.HttpHeaders(
                                    com.github.tomakehurst.wiremock.http.HttpHeader.httpHeader("Content-Type", "application/json"))).build();
                }
                String[] parts = path.split("/");
                String channel = path.startsWith("/api/v10/channels/") ? parts[4] : CHANNEL;
                String id = "PATCH".equals(r.getMethod().getName()) && !parts[parts.length - 1].equals("@original")
                        ? parts[parts.length - 1] : snowflake();
                out = JSON.createObjectNode();
                out.put("id", id).put("channel_id", channel).put("type", 0)
                        .put("content", body == null ? "" : body.path("content").asText(""))
                        .put("timestamp", "2026-01-01T00:00:00.000000+00:00").put("tts", false).put("pinned", false)
                        .put("mention_everyone", false);
                out.set("author", user(BOT, "rootcause", true));
                ArrayNode embeds = out.putArray("embeds");
                if (body != null && body.has("embeds")) {
                    body.get("embeds").forEach(e -> embeds.add(((ObjectNode) e.deepCopy()).put("type", "rich")));
                }
                out.putArray("attachments");
                out.putArray("mentions");
                out.putArray("mention_roles");
                out.set("components", body != null && body.has("components") ? body.get("components") : JSON.createArrayNode());
                if (nonce != null) {
                    out.put("nonce", nonce);
                    byNonce.put(nonce, out);
                }
            }
            return Response.Builder.like(response).but().status(200).body(out.toString().getBytes(StandardCharsets.UTF_8))
                    .headers(new com.github.tomakehurst.wiremock.http.HttpHeaders(
                            com.github.tomakehurst.wiremock.http.HttpHeader.httpHeader("Content-Type", "application/json"))).build();
        }
    }
}
