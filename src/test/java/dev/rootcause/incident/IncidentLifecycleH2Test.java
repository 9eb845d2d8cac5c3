package dev.rootcause.incident;

import io.quarkus.test.junit.QuarkusTest;

/** The lifecycle contract on the default store: H2, file mode. */
@QuarkusTest
class IncidentLifecycleH2Test extends IncidentLifecycleContract {
}
