package dev.rootcause.incident;

import io.quarkus.test.junit.QuarkusTest;

/** The verdict SQL on H2 (the default store). */
@QuarkusTest
class FeedbackStoreH2Test extends FeedbackStoreContract {
}
