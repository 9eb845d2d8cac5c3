package dev.rootcause.source.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.diagnosis.port.ChangeEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Deployment's rollout history from its ReplicaSets (apps/v1 JSON), as change events, newest first.
 *
 * <ul>
 *   <li>A revision is the ReplicaSet's {@code deployment.kubernetes.io/revision} annotation, compared as a
 *       number (revision 10 is newer than 9); ReplicaSets the Deployment does not own (ownerReferences uid)
 *       or without a numeric revision are left out.</li>
 *   <li>A rollback reuses an old ReplicaSet: it gets the new revision number (the old ones move to
 *       {@code deployment.kubernetes.io/revision-history}) but keeps its old {@code creationTimestamp}. So the
 *       time of the current revision comes from the Deployment's rollout status (condition
 *       {@code Progressing}, its {@code lastUpdateTime}, when its message names the ReplicaSet), and only
 *       older revisions fall back to the ReplicaSet's creation time, with a note saying so.</li>
 *   <li>State: {@code image/<container>} and {@code env/<container>/<NAME>}; values of variables whose name
 *       suggests a secret are hidden (so a change of them is not seen), and {@code valueFrom} is described, never resolved.</li>
 * </ul>
 */
final class RolloutHistory {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|passwd|token|credential|api_?key|private).*");

    private RolloutHistory() {
    }

    /** One ReplicaSet of the Deployment. */
    private record Revision(long number, String name, Instant created, Map<String, String> state, String version, boolean reused,
            String changeCause) {
    }

    /**
     * @param service    the service the Deployment runs, for the events
     * @param deployment the Deployment object
     * @param replicaSets a ReplicaSetList
     */
    static List<ChangeEvent> changes(String service, JsonNode deployment, JsonNode replicaSets) {
        String uid = deployment.path("metadata").path("uid").asText();
        String name = deployment.path("metadata").path("name").asText();
        List<Revision> revisions = new ArrayList<>();
        for (JsonNode rs : replicaSets.path("items")) {
            if (!ownedBy(rs, uid)) {
                continue;
            }
            Long number = revision(rs.path("metadata").path("annotations").path(REVISION).asText(null));
            if (number == null) {
                continue;
            }
            Map<String, String> state = state(rs.path("spec").path("template").path("spec"));
            revisions.add(new Revision(number, rs.path("metadata").path("name").asText(), time(rs.path("metadata").path("creationTimestamp")),
                    state, version(state), rs.path("metadata").path("annotations").has(REVISION_HISTORY),
                    rs.path("metadata").path("annotations").path("kubernetes.io/change-cause").asText(null)));
        }
        revisions.sort(Comparator.comparingLong(Revision::number).reversed());
        Long current = revision(deployment.path("metadata").path("annotations").path(REVISION).asText(null));
        JsonNode progressing = condition(deployment, "Progressing");
        List<ChangeEvent> out = new ArrayList<>();
        for (int i = 0; i < revisions.size(); i++) {
            Revision r = revisions.get(i);
            Revision previous = i + 1 < revisions.size() ? revisions.get(i + 1) : null;
            Instant time = r.created();
            String note = "time is the ReplicaSet's creation (revision " + r.number() + " is not the current one)";
            if (current != null && current == r.number()) {
                Instant rollout = progressing == null ? null : time(progressing.path("lastUpdateTime"));
                if (rollout != null && progressing.path("message").asText().contains('"' + r.name() + '"')) {
                    time = rollout;
                    note = null;
                } else {
                    note = "the Deployment's rollout status does not name ReplicaSet " + r.name()
                            + "; time is its creation, which is older than the rollout if this was a rollback";
                }
            }
            if (time == null) {
                continue;
            }
            if (r.changeCause() != null) {
                note = (note == null ? "" : note + "; ") + "change-cause: " + r.changeCause();
            }
            out.add(new ChangeEvent(name + "@" + r.number(), service, r.version(), previous == null ? null : previous.version(), null,
                    null, time, r.reused() ? "rollback" : "deploy", null, "kubernetes", r.state(),
                    previous == null ? Map.of() : previous.state(), note, "kubernetes", deployment.path("metadata").path("namespace").asText(null)));
        }
        out.sort(Comparator.comparing(ChangeEvent::time).reversed());
        return out;
    }

    /** A revision annotation as a number, or null when absent or not a number. */
    static Long revision(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The Deployment's {@code matchLabels} as a label selector ({@code a=b,c=d}); null when it has none. */
    static String selector(JsonNode deployment) {
        List<String> parts = new ArrayList<>();
        deployment.path("spec").path("selector").path("matchLabels").properties()
                .forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        return parts.isEmpty() ? null : String.join(",", parts);
    }

    private static boolean ownedBy(JsonNode rs, String uid) {
        for (JsonNode ref : rs.path("metadata").path("ownerReferences")) {
            if (uid.equals(ref.path("uid").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode condition(JsonNode deployment, String type) {
        for (JsonNode c : deployment.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static Map<String, String> state(JsonNode podSpec) {
        Map<String, String> state = new LinkedHashMap<>();
        for (JsonNode c : podSpec.path("containers")) {
            String container = c.path("name").asText();
            state.put("image/" + container, c.path("image").asText());
            for (JsonNode env : c.path("env")) {
                String var = env.path("name").asText();
                String value;
                if (env.has("valueFrom")) {
                    value = describe(env.path("valueFrom"));
                } else if (SECRET_NAME.matcher(var).matches()) {
                    value = "(hidden)";
                } else {
                    value = env.path("value").asText();
                }
                state.put("env/" + container + "/" + var, value);
            }
        }
        return state;
    }

    private static String describe(JsonNode valueFrom) {
        if (valueFrom.has("secretKeyRef")) {
            return "(from secret " + valueFrom.path("secretKeyRef").path("name").asText() + "/" + valueFrom.path("secretKeyRef").path("key").asText() + ")";
        }
        if (valueFrom.has("configMapKeyRef")) {
            return "(from configmap " + valueFrom.path("configMapKeyRef").path("name").asText() + "/"
                    + valueFrom.path("configMapKeyRef").path("key").asText() + ")";
        }
        return "(from " + valueFrom.fieldNames().next() + ")";
    }

    /** The image tags: {@code 1.42.0} for one container, {@code app=1.42.0,sidecar=0.3} for several. */
    private static String version(Map<String, String> state) {
        List<String> tags = new ArrayList<>();
        state.forEach((k, v) -> {
            if (k.startsWith("image/")) {
                tags.add(k.substring(6) + "=" + tag(v));
            }
        });
        return tags.size() == 1 ? tags.get(0).substring(tags.get(0).indexOf('=') + 1) : String.join(",", tags);
    }

    /** The tag or digest of an image reference; the whole reference when it has neither. */
    static String tag(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : image;
    }

    private static Instant time(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
