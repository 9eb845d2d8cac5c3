package dev.rootcause.diagnosis.graph;

import dev.rootcause.rule.ServiceCatalogue;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the graph names a component, so that one component seen by several sources is one node, named as
 * alerts and the catalogue name it:
 * <ol>
 * <li>trimmed and lower-cased (Zipkin lower-cases service names when it stores them; catalogue names are
 * lower case);</li>
 * <li>a catalogued service's name, or any value of its {@code labels:} (e.g. {@code job: checkout-api},
 * {@code application: Checkout}), becomes the catalogue's name;</li>
 * <li>a Kubernetes service address ({@code payments.shop.svc.cluster.local}, {@code payments.shop.svc}), as
 * OpenTelemetry's {@code server_address} and Micrometer's {@code client_name} carry it, becomes its first label
 * ({@code payments}), then step 2 again; any other host name (an external API) or address stays as it is.</li>
 * </ol>
 * Immutable; built from the catalogue in force at each graph build.
 */
public final class NodeNames {

    /** A Kubernetes service DNS name: {@code <service>.<namespace>.svc[.<cluster domain>]}. */
    private static final Pattern KUBERNETES_SERVICE = Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?)\\.[a-z0-9-]+\\.svc(\\..*)?");

    private final Map<String, String> aliases;

    private NodeNames(Map<String, String> aliases) {
        this.aliases = aliases;
    }

    /** Names as the catalogue's services and their label values say. */
    public static NodeNames of(Collection<ServiceCatalogue.Service> catalogue) {
        Map<String, String> aliases = new LinkedHashMap<>();
        for (ServiceCatalogue.Service s : catalogue) {
            aliases.putIfAbsent(s.name(), s.name());
        }
        // label values second: a service's own name wins over another's label value; file order breaks ties
        for (ServiceCatalogue.Service s : catalogue) {
            for (String value : s.labels().values()) {
                aliases.putIfAbsent(value.strip().toLowerCase(Locale.ROOT), s.name());
            }
        }
        return new NodeNames(Map.copyOf(aliases));
    }

    /** Without a catalogue: lower case and Kubernetes service addresses only. */
    public static NodeNames plain() {
        return new NodeNames(Map.of());
    }

    /**
     * The node a source's name for a component stands for, e.g. {@code Checkout-API} → {@code checkout} when
     * the catalogue lists {@code job: checkout-api} for checkout. Blank stays blank (callers drop such edges).
     */
    public String normalize(String raw) {
        String name = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String known = aliases.get(name);
        if (known != null) {
            return known;
        }
        var k8s = KUBERNETES_SERVICE.matcher(name);
        if (k8s.matches()) {
            String service = k8s.group(1);
            return aliases.getOrDefault(service, service);
        }
        return name;
    }
}
