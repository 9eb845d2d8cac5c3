package dev.rootcause.api.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.rootcause.PackagedApp;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The pages as a responder uses them, in Debian's headless Chromium driven by chromedriver (Selenium): the packaged
 * service with WireMock as Prometheus diagnoses a cache alert; the browser opens {@code /incidents}, is sent to the
 * login form, logs in with the API token, opens the incident from the list, acknowledges it and marks the cause wrong,
 * checking the text each page shows; then logs out and back in through single sign-on (Quarkus' mock OpenID Connect
 * provider, {@link OidcWiremockTestResource}, whose login page answers with a code for alice, groups user and admin)
 * and resolves the incident with the admin role the token login lacks. Screenshots of each step are kept in
 * {@code target/pages-browser/}. Without chromium or chromedriver the test fails saying what to install; it never skips.
 */
class PagesBrowserIT {

    static final Path CHROMIUM = Path.of(System.getProperty("rootcause.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rootcause.chromedriver", "/usr/bin/chromedriver"));
    static final String TOKEN = "browser-it-token-41d7";
    static final Path SHOTS = Path.of("target/pages-browser");

    @Test
    void aResponderLogsInAcknowledgesAndMarksTheCauseWrong(@TempDir Path workDir) throws Exception {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: the browser test needs Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
            }
        }
        Files.createDirectories(SHOTS);
        WireMockServer prometheus = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        prometheus.start();
        Instant start = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        CacheIncidents.stubPenetration(prometheus, start);
        OidcWiremockTestResource provider = new OidcWiremockTestResource();
        String keycloak = provider.start().get("keycloak.url");
        WebDriver browser = null;
        try (PackagedApp app = new PackagedApp(workDir)) {
            String base = "http://127.0.0.1:" + app.port();
            app.start(Map.ofEntries(Map.entry("rootcause.sources.prometheus.url", "http://127.0.0.1:" + prometheus.port()),
                    Map.entry("rootcause.rules.dir", Path.of("rules").toAbsolutePath().toString()),
                    Map.entry("rootcause.api.token", TOKEN), Map.entry("rootcause.external-url", base),
                    Map.entry("rootcause.graph.refresh", "off"),
                    // single sign-on: the provider's groups claim says alice is an admin, the only role that may resolve
                    Map.entry("quarkus.oidc.tenant-enabled", "true"), Map.entry("quarkus.oidc.auth-server-url", keycloak + "/realms/quarkus/"),
                    Map.entry("quarkus.oidc.client-id", "rootcause-pages"), Map.entry("quarkus.oidc.credentials.secret", "secret"),
                    Map.entry("quarkus.oidc.roles.role-claim-path", "groups"), Map.entry("rootcause.pages.roles.resolve", "admin")));
            ObjectNode alert = CacheIncidents.alert(start);
            assertThat(app.post("/api/v1/alerts/alertmanager", alert.toString()).statusCode()).isEqualTo(202);

            browser = chromium();
            browser.get(base + "/incidents");
            assertThat(browser.getCurrentUrl()).as("sent to the login form").contains("/login?next=");
            browser.findElement(By.id("name")).sendKeys("tess");
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            shot(browser, "1-login");
            clickThenWaitForTheNextPage(browser, By.id("login"));
            assertThat(browser.getCurrentUrl()).isEqualTo(base + "/incidents").doesNotContain(TOKEN);

            // the diagnosis runs in the background: reload the list until the incident shows its root cause
            WebDriver b = browser;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                b.navigate().refresh();
                return b.findElements(By.cssSelector("#incidents tbody tr")).stream()
                        .anyMatch(r -> r.getText().contains("Cache hit ratio of cache-a collapsed"));
            });
            shot(browser, "2-list");
            clickThenWaitForTheNextPage(browser, By.cssSelector("#incidents tbody tr a"));
            assertThat(browser.findElement(By.id("headline")).getText()).contains("Cache hit ratio of cache-a collapsed");
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("open");
            assertThat(browser.findElements(By.id("chart"))).as("the chart").hasSize(1);

            clickThenWaitForTheNextPage(browser, By.id("ack"));
            assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("Acknowledged.");
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("acknowledged");
            assertThat(browser.findElement(By.id("timeline")).getText()).contains("acknowledged by tess");
            assertThat(browser.findElements(By.id("resolve"))).as("resolving takes the admin role").isEmpty();
            shot(browser, "3-acknowledged");

            browser.findElement(By.id("actual")).sendKeys("a bad deploy of the cache client");
            clickThenWaitForTheNextPage(browser, By.id("wrong"));
            assertThat(browser.findElement(By.id("notice")).getText()).contains("your verdict is recorded");
            assertThat(browser.findElement(By.id("verdict")).getText()).startsWith("Marked wrong by tess")
                    .contains("a bad deploy of the cache client");
            assertThat(browser.findElement(By.id("export-link")).getAttribute("href")).isEqualTo(browser.getCurrentUrl()
                    .replaceAll("\\?.*$", "") + "/rule-test.zip");
            shot(browser, "4-wrong-cause");

            String incidentPage = browser.getCurrentUrl().replaceAll("\\?.*$", "");
            clickThenWaitForTheNextPage(browser, By.id("logout"));
            browser.get(incidentPage);
            assertThat(browser.getCurrentUrl()).contains("/login?next=");
            clickThenWaitForTheNextPage(browser, By.id("sso"));
            assertThat(browser.getCurrentUrl()).as("at the provider's login").startsWith(keycloak);
            browser.findElement(By.id("username")).sendKeys("alice");
            browser.findElement(By.id("password")).sendKeys("alice");
            shot(browser, "5-provider-login");
            clickThenWaitForTheNextPage(browser, By.id("login"));
            assertThat(browser.getCurrentUrl()).as("back where the login started").isEqualTo(incidentPage);
            assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("alice");
            clickThenWaitForTheNextPage(browser, By.id("resolve"));
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("resolved");
            assertThat(browser.findElement(By.id("timeline")).getText()).contains("alice");
            shot(browser, "6-resolved-after-single-sign-on");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            prometheus.stop();
            provider.stop();
        }
    }

    /**
     * Clicks and waits until the page it was on is gone (the form posted and the redirect was followed), so the
     * next lookup reads the new page, never the old one: an element of the page before the click goes stale.
     */
    private static void clickThenWaitForTheNextPage(WebDriver browser, By target) {
        WebElement before = browser.findElement(By.tagName("html"));
        browser.findElement(target).click();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                before.isEnabled();
                return false;
            } catch (StaleElementReferenceException gone) {
                return true;
            }
        });
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // no sandbox as root in CI; no background connections (this machine's network is closed)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1600", "--user-data-dir=" + tempProfile());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String tempProfile() {
        try {
            return Files.createTempDirectory("rootcause-chromium").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Keeps a screenshot as a test artefact; looked at, never compared. */
    private static void shot(WebDriver browser, String name) throws java.io.IOException {
        File png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path kept = SHOTS.resolve(name + ".png");
        Files.copy(png.toPath(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("PAGES-SCREENSHOT " + kept.toAbsolutePath() + " (" + Files.size(kept) + " bytes)");
    }
}
