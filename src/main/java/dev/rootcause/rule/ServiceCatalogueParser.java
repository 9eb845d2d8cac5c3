package dev.rootcause.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and checks {@code services.yaml} (the service catalogue). Every problem is a {@link RuleException}
 * whose message is {@code services.yaml:line: message}, like a rule file's.
 */
final class ServiceCatalogueParser {

    static final Set<String> TOP_KEYS = Set.of("services");
    static final Set<String> SERVICE_KEYS = Set.of("owner", "oncall", "labels", "dependencies", "convention");
    static final Set<String> ONCALL_KEYS = Set.of("discord_role");
    static final Set<String> DEPENDENCY_KEYS = Set.of("name", "health", "timeout", "retries");
    /** A name as Kubernetes and Prometheus spell services: lower case, digits, {@code . _ -}, at most 63. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");
    /** Discord snowflakes are 64-bit integers written in decimal: 17 to 20 digits today. */
    static final Pattern SNOWFLAKE = Pattern.compile("\\d{17,20}");
    /** A probe may wait at most this long per attempt: the engine's default step limit is 30 s. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
    /** Query parameter names that carry credentials by convention: never allowed in a health URL. */
    static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)(^|&)[^=&]*(token|secret|passw|api[_-]?key|access[_-]?key|signature|sig|credential|auth)[^=&]*=");
    /** Retries after the first attempt; more would keep a diagnosis waiting on one dead dependency. */
    static final int MAX_RETRIES = 5;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String file;
    private final String[] lines;

    private ServiceCatalogueParser(String file, String text) {
        this.file = file;
        this.lines = text.split("\n", -1);
    }

    /**
     * @param file the name errors show, e.g. {@code services.yaml}
     * @return services by name, in file order
     * @throws RuleException {@code file:line: message}
     */
    static Map<String, ServiceCatalogue.Service> parse(String file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new RuleException(file + ":" + (at == null ? 1 : at.getLineNr()) + ": " + RuleSource.oneLine(e.getOriginalMessage()));
        }
        return new ServiceCatalogueParser(file, text).services(root);
    }

    private Map<String, ServiceCatalogue.Service> services(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw fail(null, "", "expected a mapping with services: {<name>: {owner, labels, dependencies}}");
        }
        keys(root, TOP_KEYS, "", null);
        JsonNode services = root.get("services");
        if (services == null || services.isNull()) {
            return Map.of();
        }
        if (!services.isObject()) {
            throw fail(null, "services:", "services: expected a mapping of service name → service");
        }
        Map<String, ServiceCatalogue.Service> out = new LinkedHashMap<>();
        Map<String, String> labelOwner = new HashMap<>(); // "label=value" -> service claiming it
        for (var e : services.properties()) {
            ServiceCatalogue.Service service = service(e.getKey(), e.getValue());
            for (var l : service.labels().entrySet()) {
                String pair = l.getKey() + "=" + l.getValue();
                String other = labelOwner.putIfAbsent(pair, service.name());
                if (other != null) {
                    // an alert carrying this label could name either service: refuse the ambiguity
                    throw fail(service.name(), l.getKey() + ": " + l.getValue(), "service " + service.name()
                            + ": label " + pair + " already names service " + other);
                }
            }
            out.put(service.name(), service);
        }
        return out;
    }

    private ServiceCatalogue.Service service(String name, JsonNode node) {
        if (!NAME.matcher(name).matches()) {
            throw fail(name, "", "service name \"" + name + "\": expected lower-case letters, digits, . _ - (at most 63)");
        }
        if (!node.isObject()) {
            throw fail(name, "", "service " + name + ": expected a mapping with owner, oncall, labels, dependencies");
        }
        keys(node, SERVICE_KEYS, "service " + name + ": ", name);
        String where = "service " + name + ": ";
        JsonNode owner = node.get("owner");
        if (owner == null || !owner.isTextual() || owner.asText().isBlank()) {
            throw fail(name, owner == null ? "" : "owner:", where + "owner: required, a non-empty string (team or person)");
        }
        String role = null;
        JsonNode oncall = node.get("oncall");
        if (oncall != null && !oncall.isNull()) {
            if (!oncall.isObject()) {
                throw fail(name, "oncall:", where + "oncall: expected a mapping like {discord_role: \"112233445566778899\"}");
            }
            keys(oncall, ONCALL_KEYS, where + "oncall.", name);
            JsonNode r = oncall.get("discord_role");
            if (r != null && !r.isNull()) {
                if (!r.isValueNode() || !SNOWFLAKE.matcher(r.asText()).matches()) {
                    throw fail(name, "discord_role:", where + "oncall.discord_role: expected a Discord role id (17-20 digits, quoted), got "
                            + r.asText());
                }
                role = r.asText();
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = node.get("labels");
        if (l == null || l.isNull()) {
            labels.put("service", name);
        } else {
            if (!l.isObject() || l.isEmpty()) {
                throw fail(name, "labels:", where + "labels: expected a mapping of label → value, e.g. {service: " + name + "}");
            }
            for (var e : l.properties()) {
                if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw fail(name, e.getKey(), where + "labels." + e.getKey() + ": not a Prometheus label name");
                }
                if (!e.getValue().isValueNode() || e.getValue().isNull() || e.getValue().asText().isEmpty()) {
                    throw fail(name, e.getKey(), where + "labels." + e.getKey() + ": expected a non-empty string");
                }
                labels.put(e.getKey(), e.getValue().asText());
            }
        }
        String convention = null;
        JsonNode c = node.get("convention");
        if (c != null && !c.isNull()) {
            // the name is looked up in conventions.yaml when a step runs (that file reloads on its own)
            if (!c.isTextual() || !MetricConventionsParser.NAME.matcher(c.asText()).matches()) {
                throw fail(name, "convention:", where + "convention: expected a convention name from conventions.yaml, e.g. micrometer");
            }
            convention = c.asText();
        }
        return new ServiceCatalogue.Service(name, owner.asText(), role, labels, dependencies(name, node.get("dependencies")),
                convention);
    }

    private List<ServiceCatalogue.Dependency> dependencies(String service, JsonNode node) {
        String where = "service " + service + ": dependencies";
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw fail(service, "dependencies:", where + ": expected a list of {name, health, timeout, retries}");
        }
        List<ServiceCatalogue.Dependency> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode d = node.get(i);
            String at = where + "[" + i + "]";
            if (!d.isObject()) {
                throw fail(service, "dependencies:", at + ": expected {name, health, timeout, retries}");
            }
            JsonNode n = d.get("name");
            if (n == null || !n.isTextual() || !NAME.matcher(n.asText()).matches()) {
                throw fail(service, "dependencies:", at + ".name: required, lower-case letters, digits, . _ - (at most 63)");
            }
            String name = n.asText();
            String line = "name: " + name;
            keys(d, DEPENDENCY_KEYS, at + " (" + name + ").", service, line);
            if (!names.add(name)) {
                throw fail(service, line, at + ".name: " + name + " is listed twice for " + service);
            }
            JsonNode h = d.get("health");
            if (h == null || h.isNull()) {
                // a component without a health endpoint: part of the graph, never probed
                for (String key : List.of("timeout", "retries")) {
                    if (d.get(key) != null && !d.get(key).isNull()) {
                        throw fail(service, line, at + " (" + name + ")." + key + ": only meaningful with a health URL to probe; add health: or remove it");
                    }
                }
                out.add(ServiceCatalogue.Dependency.unprobed(name));
                continue;
            }
            URI health = health(h, service, line, at + " (" + name + ").health");
            Duration timeout = timeout(d.get("timeout"), service, line, at + " (" + name + ").timeout");
            int retries = retries(d.get("retries"), service, line, at + " (" + name + ").retries");
            out.add(new ServiceCatalogue.Dependency(name, health, timeout, retries));
        }
        return out;
    }

    private URI health(JsonNode node, String service, String line, String where) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw fail(service, line, where + ": expected the dependency's health URL (http or https), or no health: at all");
        }
        URI uri;
        try {
            uri = new URI(node.asText());
        } catch (URISyntaxException e) {
            throw fail(service, line, where + ": not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw fail(service, line, where + ": expected an http or https URL, got " + node.asText());
        }
        if (uri.getHost() == null) {
            throw fail(service, line, where + ": the URL has no host: " + node.asText());
        }
        if (uri.getRawUserInfo() != null) {
            // the URL is shown in evidence and reports; credentials in it would be leaked there
            throw fail(service, line, where + ": credentials in the URL are not allowed (they would appear in reports)");
        }
        if (uri.getRawQuery() != null && SECRET_PARAMETER.matcher(uri.getRawQuery()).find()) {
            // same reason: the URL is evidence; a health check that needs a secret cannot be probed from here
            throw fail(service, line, where + ": a query parameter that looks like a credential (token, key, secret, password,"
                    + " signature) is not allowed (it would appear in reports)");
        }
        if (uri.getRawFragment() != null) {
            throw fail(service, line, where + ": a fragment (#...) is never sent; remove it");
        }
        return uri;
    }

    private Duration timeout(JsonNode node, String service, String line, String where) {
        if (node == null || node.isNull()) {
            throw fail(service, line, where + ": required with a health URL, e.g. 1500ms");
        }
        Duration d;
        try {
            d = Durations.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw fail(service, line, where + ": " + e.getMessage());
        }
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw fail(service, line, where + ": at most " + Durations.format(MAX_TIMEOUT) + " per attempt, got " + node.asText());
        }
        return d;
    }

    private int retries(JsonNode node, String service, String line, String where) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0 || node.asInt() > MAX_RETRIES) {
            throw fail(service, line, where + ": expected a whole number 0-" + MAX_RETRIES + ", got " + node.asText());
        }
        return node.asInt();
    }

    private void keys(JsonNode node, Set<String> allowed, String where, String service) {
        keys(node, allowed, where, service, null);
    }

    private void keys(JsonNode node, Set<String> allowed, String where, String service, String near) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw fail(service, near == null ? k + ":" : near, where + k + ": unknown key (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        });
    }

    /**
     * A problem located at the first line containing {@code needle} inside the entry of {@code service}
     * (from its {@code <service>:} key on), else at that key; {@code service} null means the whole file.
     */
    private RuleException fail(String service, String needle, String message) {
        int from = 0;
        if (service != null) {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].strip().startsWith(service + ":")) {
                    from = i;
                    break;
                }
            }
        }
        int line = from;
        if (!needle.isEmpty()) {
            for (int i = from; i < lines.length; i++) {
                if (lines[i].contains(needle)) {
                    line = i;
                    break;
                }
            }
        }
        return new RuleException(file + ":" + (line + 1) + ": " + message);
    }
}
