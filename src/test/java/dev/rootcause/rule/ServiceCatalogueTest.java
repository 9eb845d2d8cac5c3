package dev.rootcause.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rootcause.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceCatalogueTest {

    static final String GOOD = """
            services:
              checkout:
                owner: team-payments
                oncall: { discord_role: "112233445566778899" }
                labels: { service: checkout, job: checkout-api }
                dependencies:
                  - { name: auth,    health: "http://127.0.0.1:18081/health", timeout: 1500ms, retries: 2 }
                  - { name: payment, health: "http://127.0.0.1:18082/health?deep=1", timeout: 2000ms, retries: 1 }
                  - { name: config,  health: "https://config.internal/health", timeout: 1s }
              search:
                owner: team-search
            """;

    @Test
    void theLiveCatalogueShipsWithoutExampleServices() {
        // example services probed for real blamed example URLs for the README's own sample alert (issue 19)
        assertThat(ServiceCatalogue.load(Path.of("rules/services.yaml")).find("checkout")).isEmpty();
    }

    @Test
    void theShippedCatalogueHasTheSeedsTable() {
        ServiceCatalogue c = ServiceCatalogue.load(Path.of("rules/tests/services.yaml"));
        ServiceCatalogue.Service checkout = c.find("checkout").orElseThrow();
        assertThat(checkout.owner()).isEqualTo("team-payments");
        assertThat(checkout.oncallRole()).isEqualTo("112233445566778899");
        assertThat(checkout.dependencies()).extracting(d -> d.name() + " " + d.timeout().toMillis() + "ms x" + d.retries())
                .containsExactly("auth 1500ms x2", "payment 2000ms x1", "config 1000ms x3");
    }

    @Test
    void readsServicesDependenciesAndLabelMapping() {
        Map<String, ServiceCatalogue.Service> s = ServiceCatalogueParser.parse("services.yaml", GOOD);
        assertThat(s.keySet()).containsExactly("checkout", "search");
        ServiceCatalogue.Service checkout = s.get("checkout");
        assertThat(checkout.labels()).containsEntry("job", "checkout-api");
        assertThat(checkout.dependency("payment").orElseThrow().health().toString()).isEqualTo("http://127.0.0.1:18082/health?deep=1");
        assertThat(checkout.dependency("config").orElseThrow().retries()).isZero();
        assertThat(checkout.dependency("config").orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(1));
        // no labels given: alerts name it by service=<name>; no on-call role
        assertThat(s.get("search").labels()).isEqualTo(Map.of("service", "search"));
        assertThat(s.get("search").oncallRole()).isNull();
        assertThat(s.get("search").dependencies()).isEmpty();
    }

    @Test
    void aDependencyWithoutAHealthUrlLoadsAndIsNotProbed() {
        Map<String, ServiceCatalogue.Service> s = ServiceCatalogueParser.parse("services.yaml", """
                services:
                  payments:
                    owner: team-payments
                    dependencies:
                      - { name: payments-db }
                      - { name: stripe, health: "https://status.stripe.example/health", timeout: 2s }
                      - name: ledger-queue
                """);
        assertThat(s.get("payments").dependencies()).extracting(ServiceCatalogue.Dependency::name, ServiceCatalogue.Dependency::probed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("payments-db", false), org.assertj.core.groups.Tuple.tuple("stripe", true),
                        org.assertj.core.groups.Tuple.tuple("ledger-queue", false));
        assertThat(s.get("payments").dependency("payments-db").orElseThrow().health()).isNull();
    }

    @Test
    void resolvesAnAlertByAnyOfItsLabels(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("services.yaml"), GOOD);
        ServiceCatalogue c = ServiceCatalogue.load(dir.resolve("services.yaml"));
        assertThat(c.resolve(Map.of("job", "checkout-api")).map(ServiceCatalogue.Service::name)).contains("checkout");
        assertThat(c.resolve(Map.of("service", "search", "job", "x")).map(ServiceCatalogue.Service::name)).contains("search");
        assertThat(c.resolve(Map.of("job", "nobody"))).isEmpty();
        assertThat(c.find("nobody")).isEmpty();
        assertThat(c.find(null)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top key       | services: {}\\nextra: 1                                                          | services.yaml:2: extra: unknown key",
        "unknown service key   | services:\\n  a:\\n    owner: x\\n    url: http://x                                 | services.yaml:4: service a: url: unknown key",
        "missing owner         | services:\\n  a:\\n    labels: {service: a}                                       | services.yaml:2: service a: owner: required",
        "bad service name      | services:\\n  Bad Name:\\n    owner: x                                               | services.yaml:2: service name \"Bad Name\"",
        "bad discord role      | services:\\n  a:\\n    owner: x\\n    oncall: {discord_role: abc}                    | services.yaml:4: service a: oncall.discord_role",
        "not a label name      | services:\\n  a:\\n    owner: x\\n    labels: {'bad-label': a}                       | services.yaml:4: service a: labels.bad-label: not a Prometheus label name",
        "credentials in url    | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://u:secret@h/health', timeout: 1s} | services.yaml:5: service a: dependencies[0] (d).health: credentials in the URL are not allowed",
        "token in query        | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://h/health?x=1&access_token=abc', timeout: 1s} | services.yaml:5: service a: dependencies[0] (d).health: a query parameter that looks like a credential",
        "not http              | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'file:///etc/passwd', timeout: 1s} | services.yaml:5: service a: dependencies[0] (d).health: expected an http or https URL",
        "timeout too long      | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://h/health', timeout: 1m} | services.yaml:5: service a: dependencies[0] (d).timeout: at most 10s",
        "timeout missing       | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://h/health'} | services.yaml:5: service a: dependencies[0] (d).timeout: required",
        "retries too many      | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://h/health', timeout: 1s, retries: 9} | services.yaml:5: service a: dependencies[0] (d).retries: expected a whole number 0-5",
        "unknown dependency key| services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://h/health', timeout: 1s, headers: {}} | services.yaml:5: service a: dependencies[0] (d).headers: unknown key",
        "dependency twice      | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: d, health: 'http://h/a', timeout: 1s}\\n      - {name: d, health: 'http://h/b', timeout: 1s} | services.yaml:5: service a: dependencies[1].name: d is listed twice",
        "label names two       | services:\\n  a:\\n    owner: x\\n  b:\\n    owner: y\\n    labels: {service: a}     | services.yaml:6: service b: label service=a already names service a",
        "timeout without health| services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: db, timeout: 1s} | services.yaml:5: service a: dependencies[0] (db).timeout: only meaningful with a health URL",
        "retries without health| services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: db, retries: 1} | services.yaml:5: service a: dependencies[0] (db).retries: only meaningful with a health URL",
        "health not a string   | services:\\n  a:\\n    owner: x\\n    dependencies:\\n      - {name: db, health: 3, timeout: 1s} | services.yaml:5: service a: dependencies[0] (db).health: expected the dependency's health URL",
        "yaml syntax           | services:\\n  a: [                                                               | services.yaml:2:",
    })
    void mistakesAreReportedAsFileAndLine(String name, String text, String expected) {
        assertThatThrownBy(() -> ServiceCatalogueParser.parse("services.yaml", text.strip().replace("\\n", "\n")))
                .isInstanceOf(RuleException.class).hasMessageStartingWith(expected);
    }

    @Test
    void aBrokenEditKeepsTheLastGoodCatalogueAndSaysWhere(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("services.yaml");
        Files.writeString(file, GOOD);
        TestClock clock = new TestClock();
        ServiceCatalogue c = new ServiceCatalogue(file, clock);
        c.reload();
        assertThat(c.snapshot().errors()).isEmpty();
        Files.writeString(file, GOOD.replace("timeout: 1500ms", "timeout: soon"));
        c.watch();
        assertThat(c.snapshot().errors()).singleElement().asString()
                .startsWith("services.yaml:7: service checkout: dependencies[0] (auth).timeout: expected a duration")
                .endsWith("(the previous catalogue stays in force)");
        assertThat(c.find("checkout").orElseThrow().dependency("auth").orElseThrow().timeout()).isEqualTo(Duration.ofMillis(1500));
        Files.writeString(file, GOOD.replace("timeout: 1500ms", "timeout: 750ms"));
        c.watch();
        assertThat(c.snapshot().errors()).isEmpty();
        assertThat(c.find("checkout").orElseThrow().dependency("auth").orElseThrow().timeout()).isEqualTo(Duration.ofMillis(750));
        Files.delete(file);
        c.watch();
        assertThat(c.services()).isEmpty();
    }
}
