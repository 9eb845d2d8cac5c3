package dev.rootcause.api.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rootcause.source.metrics.PrometheusWireMock;
import dev.rootcause.store.Database;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The incident list reads a fixed number of statements whatever its number of rows, counted by the database itself
 * (H2's {@code INFORMATION_SCHEMA.QUERY_STATISTICS}, http://www.h2database.com/html/commands.html#set_query_statistics):
 * the incidents, their verdicts, the per-rule counts. Before, it read each row's verdict with a statement of its own.
 */
@QuarkusTest
@TestProfile(PagesTest.Profile.class)
@QuarkusTestResource(value = PrometheusWireMock.class, restrictToAnnotatedClass = true)
class PagesQueryCountTest {

    @Inject
    Database db;

    @BeforeAll
    static void apiClientsCarryTheToken() {
        PagesTest.apiClientsCarryTheToken();
    }

    @AfterAll
    static void reset() {
        PagesTest.reset();
    }

    @Test
    void theListReadsThreeStatementsForAnyNumberOfRows() throws Exception {
        for (int i = 0; i < 4; i++) {
            CacheIncidents.diagnosed(b -> { });
        }
        String cookie = PagesTest.login("sam");
        execute("SET QUERY_STATISTICS_MAX_ENTRIES 1000");
        execute("SET QUERY_STATISTICS TRUE");
        try {
            Map<String, Long> before = statistics();
            String html = given().cookie(PageSession.COOKIE, cookie).get("/incidents").then().statusCode(200).extract().asString();
            Map<String, Long> after = statistics();
            int rows = count(Pattern.compile("<tr class=\"").matcher(html));
            assertThat(rows).as("rows on the page").isGreaterThanOrEqualTo(4);
            Map<String, Long> ran = new HashMap<>();
            after.forEach((sql, n) -> {
                long d = n - before.getOrDefault(sql, 0L);
                if (d > 0) {
                    ran.put(sql, d);
                }
            });
            // background workers (outbox, diagnoses) poll meanwhile; the list's own statements are told by their text
            long list = sum(ran, "ORDER BY i.opened_at DESC");
            long verdicts = sum(ran, "feedback_verdict");
            assertThat(list).as("the incidents: %s", ran).isEqualTo(1);
            assertThat(verdicts).as("the verdicts of %d rows and the per-rule counts: %s", rows, ran).isEqualTo(2);
        } finally {
            execute("SET QUERY_STATISTICS FALSE");
        }
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static long sum(Map<String, Long> ran, String text) {
        return ran.entrySet().stream().filter(e -> e.getKey().contains(text)).mapToLong(Map.Entry::getValue).sum();
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Map<String, Long> statistics() throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
