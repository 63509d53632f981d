package dev.ramp.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium driven through its chromedriver (nothing downloaded),
 * against a real gateway and real upstreams. Skipped only when those two binaries are absent. Screenshots are
 * kept under {@code target/dashboard/} for review.
 */
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String TOKEN = "test-token";
    static WebDriver browser;

    @TempDir
    Path dir;
    Vertx vertx;
    TestUpstream stable;
    TestUpstream canary;
    Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void browser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void upstreams() {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        canary = TestUpstream.start(vertx, "canary");
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.get("about:blank"); // closes the page's stream before its gateway goes
        }
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** A gateway with {@code routes} routes named shop, route-1, route-2, ... and the admin API on {@code adminPort}. */
    Gateway start(int routes, int adminPort) throws Exception {
        List<String> blocks = new ArrayList<>();
        blocks.add(TestConfigs.route("shop", stable.port, canary.port, "20%", ""));
        for (int i = 1; i < routes; i++) {
            blocks.add(TestConfigs.route("route-" + i, stable.port, canary.port, i % 100 + "%",
                    "match { path-prefix = \"/r" + i + "\" }"));
        }
        String conf = TestConfigs.gateway(dir, String.join(",", blocks), "")
                .replace("port = 0, token", "port = " + adminPort + ", token");
        Path file = dir.resolve("gateway-" + System.nanoTime() + ".conf");
        Files.writeString(file, conf);
        return Gateway.start(ConfigLoader.load(file));
    }

    String page() {
        return "http://127.0.0.1:" + gateway.adminPort() + "/";
    }

    WebElement card(String route) {
        return browser.findElement(By.cssSelector("article.route[data-route='" + route + "']"));
    }

    WebDriverWait within(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(50));
    }

    void screenshot(String name) throws Exception {
        Path out = Path.of("target", "dashboard", name + ".png");
        Files.createDirectories(out.getParent());
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    }

    String state(String route) throws Exception {
        JsonObject status = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gateway.adminPort() + "/api/status?route=" + route)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return status.getJsonArray("routes").getJsonObject(0).getString("state");
    }

    void traffic(int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/x"))
                    .header("X-User-Id", "u" + i).build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void thePageShowsTheRoutesAndTurnsARouteRedWithinTwoSecondsOfARevertThroughTheApi() throws Exception {
        gateway = start(1, 0);
        traffic(50);
        browser.get(page());
        within(10).until(d -> card("shop").findElement(By.cssSelector(".versions")).getText().contains("v2"));
        WebElement shop = card("shop");
        assertThat(shop.findElement(By.cssSelector(".versions")).getText()).isEqualTo("stable v1 · canary v2");
        assertThat(shop.findElement(By.cssSelector(".weights")).getText()).contains("20% configured").contains("20% effective");
        assertThat(shop.getAttribute("data-state")).isNotEqualTo("reverted");
        within(5).until(d -> browser.findElement(By.id("conn")).getText().equals("live"));
        // The history arrives and is drawn: both versions' lines in the request-rate chart.
        within(10).until(d -> {
            String line = shop.findElement(By.cssSelector(".chart path.s")).getAttribute("d");
            return line != null && line.startsWith("M");
        });
        screenshot("healthy");

        HttpResponse<String> revert = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gateway.adminPort() + "/api/routes/shop/revert"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revert.statusCode()).isEqualTo(200);
        within(2).until(d -> "reverted".equals(card("shop").getAttribute("data-state")));
        assertThat(card("shop").findElement(By.cssSelector(".state")).getText()).startsWith("reverted");
        assertThat(card("shop").findElement(By.cssSelector(".state")).getCssValue("background-color"))
                .isEqualTo("rgba(197, 48, 48, 1)"); // red
        within(2).until(d -> browser.findElement(By.id("events")).getText().contains("shop"));
        screenshot("reverted");
    }

    @Test
    void theRevertButtonAsksForTheTokenRefusesAWrongOneAndRevertsWithTheRightOne() throws Exception {
        gateway = start(1, 0);
        browser.get(page());
        within(10).until(d -> card("shop").findElements(By.cssSelector("button[data-action='revert']")).size() == 1);

        card("shop").findElement(By.cssSelector("button[data-action='revert']")).click();
        within(2).until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        browser.findElement(By.id("token-input")).sendKeys("wrong-token");
        browser.findElement(By.id("token-ok")).click();
        within(5).until(d -> browser.findElement(By.id("toast")).getText().contains("refused"));
        assertThat(browser.findElement(By.id("toast")).getText()).contains("401");
        assertThat(state("shop")).isNotEqualTo("reverted"); // the page changed nothing without the token

        // The refused token was forgotten: the next click asks again.
        card("shop").findElement(By.cssSelector("button[data-action='revert']")).click();
        within(2).until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        browser.findElement(By.id("token-input")).sendKeys(TOKEN);
        browser.findElement(By.id("token-ok")).click();
        within(5).until(d -> {
            try {
                return state("shop").equals("reverted");
            } catch (Exception e) {
                return false;
            }
        });
        within(2).until(d -> "reverted".equals(card("shop").getAttribute("data-state")));
        // Now it offers to resume, and the token is remembered for this tab.
        within(2).until(d -> card("shop").findElements(By.cssSelector("button[data-action='resume']")).size() == 1);
        card("shop").findElement(By.cssSelector("button[data-action='resume']")).click();
        within(5).until(d -> !"reverted".equals(card("shop").getAttribute("data-state")));
        assertThat(browser.findElement(By.id("token-dialog")).isDisplayed()).isFalse();
    }

    @Test
    void thePageReconnectsWhenTheGatewayRestartsOnTheSameAdminPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        gateway = start(1, port);
        browser.get(page());
        within(10).until(d -> browser.findElement(By.id("conn")).getText().equals("live"));
        assertThat(browser.findElement(By.id("banner")).isDisplayed()).isFalse();

        gateway.shutdown(Duration.ofSeconds(1));
        gateway = null;
        within(10).until(d -> browser.findElement(By.id("banner")).isDisplayed());
        assertThat(browser.findElement(By.id("conn")).getText()).isEqualTo("disconnected");
        screenshot("disconnected");

        gateway = start(1, port);
        within(15).until(d -> !browser.findElement(By.id("banner")).isDisplayed());
        assertThat(browser.findElement(By.id("conn")).getText()).isEqualTo("live");
        // The restarted gateway's snapshots drive the page again.
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/routes/shop/revert"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        within(3).until(d -> "reverted".equals(card("shop").getAttribute("data-state")));
    }

    @Test
    void twoHundredRoutesAreShownCollapsedAndFiltered() throws Exception {
        gateway = start(200, 0);
        browser.get(page());
        within(15).until(d -> browser.findElements(By.cssSelector("article.route")).size() == 200);
        assertThat(browser.findElement(By.id("summary")).getText()).startsWith("200 routes");
        // Collapsed: no charts are drawn until a route is opened.
        assertThat(browser.findElements(By.cssSelector(".chart"))).isEmpty();
        browser.findElement(By.id("filter")).sendKeys("route-19");
        within(2).until(d -> d.findElements(By.cssSelector("article.route")).stream().filter(WebElement::isDisplayed)
                .count() == 11); // route-19 and route-190..199
        card("route-19").findElement(By.cssSelector(".name")).click();
        within(5).until(d -> card("route-19").findElements(By.cssSelector(".chart")).size() == 4);
        screenshot("200-routes");
        // Still live a few snapshots later: the page keeps up.
        String before = browser.findElement(By.id("conn")).getText();
        assertThat(before).isEqualTo("live");
    }
}
