package dev.rootcause;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

/** Webhook bodies for tests: the recorded fixtures in src/test/resources/alerts, and variations of them. */
public final class Payloads {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    /** A recorded fixture, e.g. {@code alertmanager-firing-2-alerts.json}, as a mutable tree. */
    public static ObjectNode fixture(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/alerts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture with a groupKey and fingerprints no other test uses, so tests sharing a store don't meet. */
    public static ObjectNode unique(String name) {
        ObjectNode body = fixture(name);
        String nonce = UUID.randomUUID().toString();
        body.put("groupKey", body.get("groupKey").asText() + "/" + nonce);
        for (var alert : (ArrayNode) body.get("alerts")) {
            ((ObjectNode) alert).put("fingerprint", alert.get("fingerprint").asText() + "-" + nonce.substring(0, 8));
        }
        return body;
    }

    /** Sets every alert's status, and the group's. */
    public static ObjectNode withStatus(ObjectNode body, String status) {
        ObjectNode copy = body.deepCopy();
        copy.put("status", status);
        for (var alert : (ArrayNode) copy.get("alerts")) {
            ((ObjectNode) alert).put("status", status);
            if ("resolved".equals(status)) {
                ((ObjectNode) alert).put("endsAt", "2024-05-14T10:00:00Z");
            }
        }
        return copy;
    }

    public static String text(ObjectNode body) {
        return body.toString();
    }
}
