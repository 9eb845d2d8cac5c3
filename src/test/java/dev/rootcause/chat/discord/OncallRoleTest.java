package dev.rootcause.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.incident.Incident;
import dev.rootcause.rule.ServiceCatalogue;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whom a report pings: the catalogue's on-call role for the alert's service, else the configured one. */
class OncallRoleTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void catalogueRoleWinsAndConfigIsTheFallback(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("services.yaml"), """
                services:
                  checkout:
                    owner: team-payments
                    oncall: { discord_role: "112233445566778899" }
                    labels: { service: checkout, job: checkout-api }
                  search:
                    owner: team-search
                """);
        DiscordChatPublisher publisher = new DiscordChatPublisher(null, config("998877665544332211"), null,
                ServiceCatalogue.load(dir.resolve("services.yaml")), null);

        assertThat(publisher.oncallRole(incident(Map.of("service", "checkout")))).isEqualTo("112233445566778899");
        // named by another convention's label: the same service
        assertThat(publisher.oncallRole(incident(Map.of("job", "checkout-api")))).isEqualTo("112233445566778899");
        // catalogued without a role, and not catalogued: the configured role
        assertThat(publisher.oncallRole(incident(Map.of("service", "search")))).isEqualTo("998877665544332211");
        assertThat(publisher.oncallRole(incident(Map.of("service", "unknown")))).isEqualTo("998877665544332211");

        DiscordChatPublisher unconfigured = new DiscordChatPublisher(null, config(null), null,
                ServiceCatalogue.load(dir.resolve("services.yaml")), null);
        assertThat(unconfigured.oncallRole(incident(Map.of("service", "unknown")))).isNull();
    }

    private static Incident incident(Map<String, String> commonLabels) {
        return new Incident(1, "alertmanager", "{}:{alertname=\"X\"}", 1, "rootcause", "http://am:9093", "t", "open",
                "critical", T0, T0, null, null, null, null, 1, 0, Map.of(), commonLabels, Map.of(), null, null, null, null);
    }

    /** A DiscordConfig whose only answer that matters here is the fallback role. */
    private static DiscordConfig config(String role) {
        return (DiscordConfig) Proxy.newProxyInstance(DiscordConfig.class.getClassLoader(), new Class<?>[] {DiscordConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("oncallRole")) {
                        return Optional.ofNullable(role);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
