package io.skywatch.dashboard;

import static io.skywatch.testing.Auth.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.skywatch.testing.Auth;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at / in a real headless Chromium: live alerts and rockets appear within 2 s of being posted over
 * HTTP, the clear follows, and the browser console stays free of errors. Chromium and chromedriver are Debian's
 * ({@code .ci/run} installs them); their paths can be moved with {@code -Dskywatch.chromium} and
 * {@code -Dskywatch.chromedriver}.
 */
@QuarkusTest
class DashboardBrowserTest {

    private static final Duration LIVE_DEADLINE = Duration.ofSeconds(2);
    private static final Path SCREENSHOTS = Path.of("target");

    @TestHTTPResource("/")
    URL dashboard;

    private ChromeDriver browser;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void openBrowser() {
        File chromium = new File(System.getProperty("skywatch.chromium", "/usr/bin/chromium"));
        File chromedriver = new File(System.getProperty("skywatch.chromedriver", "/usr/bin/chromedriver"));
        assertThat(chromium.canExecute())
                .as("Chromium at %s for the browser test: run .ci/run, or apt-get install chromium", chromium)
                .isTrue();
        assertThat(chromedriver.canExecute())
                .as("chromedriver at %s for the browser test: apt-get install chromium-driver", chromedriver)
                .isTrue();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=en-GB");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        // An explicit driver binary: Selenium Manager would otherwise try to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1366, 900));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void postedBreachAndLaunchAppearLiveAndTheClearFollows() throws IOException {
        String station = "dash-" + run;
        String channel = "dash-rocket-" + run;
        given().contentType("application/json")
                .body(Map.of("id", station, "name", "Harbour " + run, "district", "harbour"))
                .post("/stations")
                .then()
                .statusCode(201);

        warmUp();
        // The gateway is secured: the page gets a viewer's key as a secured deployment's users would.
        String viewerKey = Auth.createKey("{\"name\":\"dashboard-test\",\"roles\":[\"viewer\"]}");
        browser.get(dashboard + "?token=" + viewerKey);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // PM2.5 200 µg/m³ breaches both default rules (WARNING above 15, CRITICAL above 75).
        postReading(station, now.minusSeconds(2), 1, 200.0);
        long alertPostedAt = System.nanoTime();
        postLaunch(channel, now);
        long launchPostedAt = System.nanoTime();

        WebDriverWait live = new WebDriverWait(browser, LIVE_DEADLINE, Duration.ofMillis(20));
        By criticalAlert = By.cssSelector(
                "#alerts li[data-station='" + station + "'][data-metric='pm2_5'][data-state='OPEN'].sev-CRITICAL");
        WebElement alert = live.until(ExpectedConditions.visibilityOfElementLocated(criticalAlert));
        Log.infof("Dashboard: alert shown %d ms after its reading was acknowledged", millisSince(alertPostedAt));
        assertThat(alert.getText()).contains("CRITICAL", station, "pm2_5", "peak 200");

        By rocketRow = By.cssSelector("#rockets tbody tr[data-channel='" + channel + "']");
        WebElement rocket = live.until(ExpectedConditions.visibilityOfElementLocated(rocketRow));
        Log.infof("Dashboard: rocket shown %d ms after its launch was acknowledged", millisSince(launchPostedAt));
        live.until(ExpectedConditions.textToBePresentInElement(rocket, "ARTEMIS"));
        assertThat(rocket.getText()).contains("Falcon-9", "ARTEMIS", "500", "LAUNCHED");

        // The station card shows the value in the critical colour, because a CRITICAL rule is breached.
        By criticalValue =
                By.cssSelector(".station[data-station='" + station + "'] .metric[data-metric='pm2_5'].lvl-critical");
        live.until(ExpectedConditions.visibilityOfElementLocated(criticalValue));
        saveScreenshot("dashboard-raised.png");

        // A rocket update changes the row in place.
        postSpeedIncrease(channel, now.plusSeconds(1), 1500);
        live.until(ExpectedConditions.textToBePresentInElementLocated(rocketRow, "2000"));

        // 5 µg/m³ is below both clearing levels (10 % under each threshold): both alerts clear.
        postReading(station, now.minusSeconds(1), 2, 5.0);
        long clearPostedAt = System.nanoTime();
        By clearedAlert = By.cssSelector(
                "#alerts li[data-station='" + station + "'][data-metric='pm2_5'][data-state='CLEARED'].sev-CRITICAL");
        WebElement cleared = live.until(ExpectedConditions.visibilityOfElementLocated(clearedAlert));
        Log.infof("Dashboard: clear shown %d ms after its reading was acknowledged", millisSince(clearPostedAt));
        assertThat(cleared.getText()).contains("CLEARED".toLowerCase(), "cleared");
        assertThat(browser.findElements(criticalAlert)).isEmpty();
        live.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".station[data-station='" + station + "'] .metric[data-metric='pm2_5'].lvl-ok")));

        // Selecting the station shows its chart with the two readings.
        browser.findElement(By.cssSelector(".station[data-station='" + station + "']"))
                .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#chart canvas")));
        saveScreenshot("dashboard.png");

        browser.manage().window().setSize(new Dimension(390, 844));
        saveScreenshot("dashboard-phone.png");
        assertThat(horizontalOverflow())
                .as("the page fits a phone's width (wide tables scroll inside their panel)")
                .isLessThanOrEqualTo(0L);

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    /**
     * Right after start-up the consumers may still be joining their groups; the 2 s budget is for a running
     * gateway, so wait until a reading and a rocket message have been applied end to end first.
     */
    private void warmUp() {
        String station = "dash-warm-up-" + run;
        String channel = "dash-warm-up-" + run;
        postReading(station, Instant.now().minusSeconds(5), 1, 1.0);
        postLaunch(channel, Instant.now());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().get("/stations/" + station + "/latest").then().statusCode(200);
            given().get("/rockets/" + channel).then().statusCode(200);
        });
    }

    private long horizontalOverflow() {
        Object overflow = browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        return ((Number) overflow).longValue();
    }

    private void postReading(String station, Instant timestamp, long sequence, double pm25) {
        given().contentType("application/json")
                .body(Map.of(
                        "stationId", station, "timestamp", timestamp.toString(), "sequence", sequence, "pm2_5", pm25))
                .post("/sensors/readings")
                .then()
                .statusCode(202);
    }

    private void postLaunch(String channel, Instant time) {
        postRocketMessage(
                channel,
                1,
                time,
                "RocketLaunched",
                Map.of("type", "Falcon-9", "launchSpeed", 500, "mission", "ARTEMIS"));
    }

    private void postSpeedIncrease(String channel, Instant time, int by) {
        postRocketMessage(channel, 2, time, "RocketSpeedIncreased", Map.of("by", by));
    }

    private void postRocketMessage(String channel, int number, Instant time, String type, Map<String, Object> message) {
        given().contentType("application/json")
                .body(Map.of(
                        "metadata",
                        Map.of(
                                "channel",
                                channel,
                                "messageNumber",
                                number,
                                "messageTime",
                                time.toString(),
                                "messageType",
                                type),
                        "message",
                        message))
                .post("/messages")
                .then()
                .statusCode(202);
    }

    private void saveScreenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
