package dev.rootcause.changes;

import dev.rootcause.source.metrics.PrometheusWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The change API contract on the default store: H2, file mode. */
@QuarkusTest
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class ChangeApiH2Test extends ChangeApiContract {
}
