package dev.ramp.gateway;

import static dev.ramp.gateway.testing.TestBed.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.testing.TestBed;
import dev.ramp.gateway.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with a real Alertmanager (Debian's {@code prometheus-alertmanager}, started here on a free
 * port with a generated config): an alert posted to Alertmanager's API reaches {@code POST /api/alerts} with
 * the admin token as its bearer credentials, reverts the route it names, and the revert is announced to a
 * {@code ramp.notify} webhook. Skipped only when the binary is absent.
 */
class AlertmanagerIntegrationTest {
    private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    private static final String TOKEN = "am-token-0123456789abcdef";

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;
    private WebhookReceiver hook;
    private Process alertmanager;
    private int amPort;

    @BeforeEach
    void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(ALERTMANAGER),
                ALERTMANAGER + " is not installed (Debian package prometheus-alertmanager)");
        bed = new TestBed(dir);
        hook = new WebhookReceiver(bed.vertx, n -> WebhookReceiver.Behaviour.OK);
        String conf = bed.gatewayConf(TOKEN, bed.route("shop", "/", "20%"));
        conf = conf.substring(0, conf.lastIndexOf('}'))
               + "  notify = [ { url = \"" + hook.url("/ramp") + "\", name = \"team\", events = [\"revert\"] } ]\n}\n";
        gateway = bed.start(conf);
        amPort = freePort();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: ramp
                  group_by: ['alertname', 'route']
                  group_wait: 100ms
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: ramp
                    webhook_configs:
                      - url: 'http://127.0.0.1:%d/api/alerts'
                        send_resolved: true
                        max_alerts: 20
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: '%s'
                """.formatted(gateway.adminPort(), TOKEN));
        Files.createDirectories(dir.resolve("am-data"));
        alertmanager = new ProcessBuilder(ALERTMANAGER.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=") // no gossip: a single instance
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> bed.get("http://127.0.0.1:" + amPort + "/-/ready").statusCode() == 200);
    }

    @AfterEach
    void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly();
            }
        }
        if (gateway != null) {
            gateway.close();
        }
        if (hook != null) {
            hook.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private JsonObject shop() {
        return new JsonObject(bed.get(admin(gateway, "/api/status")).body()).getJsonArray("routes").getJsonObject(0);
    }

    private HttpResponse<String> postToAlertmanager(JsonArray alerts) {
        return bed.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + amPort + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alerts.encode())));
    }

    @Test
    void anAlertPostedToAlertmanagerRevertsTheRouteAndTheTeamIsTold() throws Exception {
        JsonObject alert = new JsonObject()
                .put("labels", new JsonObject().put("alertname", "CanaryErrorBudgetBurn").put("route", "shop")
                        .put("severity", "page"))
                .put("annotations", new JsonObject().put("summary", "canary burns its error budget 14x"))
                .put("startsAt", Instant.now().toString());
        assertThat(shop().getString("state")).isNotEqualTo("reverted");

        long start = System.nanoTime();
        HttpResponse<String> posted = postToAlertmanager(new JsonArray().add(alert));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> "reverted".equals(shop().getString("state")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("alert posted to Alertmanager -> route reverted in " + took.toMillis() + " ms"
                           + " (group_wait 100ms)");

        JsonObject latch = shop().getJsonObject("latch");
        assertThat(latch.getString("reason")).isEqualTo("alert:CanaryErrorBudgetBurn");
        assertThat(latch.getJsonObject("alert").getJsonObject("labels").getMap())
                .containsEntry("route", "shop").containsEntry("severity", "page");
        assertThat(latch.getJsonObject("alert").getJsonObject("annotations").getString("summary"))
                .isEqualTo("canary burns its error budget 14x");
        assertThat(took).isLessThan(Duration.ofSeconds(10));

        // The revert is announced, the alert with it.
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.delivered().size() == 1);
        JsonObject told = hook.delivered().get(0).body();
        assertThat(told.getString("type")).isEqualTo("revert");
        assertThat(told.getString("route")).isEqualTo("shop");
        assertThat(told.getJsonObject("details").getJsonObject("alert").getString("name")).isEqualTo("CanaryErrorBudgetBurn");

        // Resolving the alert in Alertmanager (sent on, send_resolved) lifts nothing.
        postToAlertmanager(new JsonArray().add(alert.copy().put("endsAt", Instant.now().toString())));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> "reverted".equals(shop().getString("state")));
        assertThat(gateway.events().recent().stream().filter(e -> e.type().equals("revert")).count()).isEqualTo(1);
        assertThat(hook.delivered()).hasSize(1);
        assertThat(Files.readString(dir.resolve("alertmanager.log"))).doesNotContain("level=error");

        // Once more on a warm gateway: a person resumes, a second alert fires.
        assertThat(bed.post(admin(gateway, "/api/routes/shop/resume"), "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        long again = System.nanoTime();
        postToAlertmanager(new JsonArray().add(new JsonObject()
                .put("labels", new JsonObject().put("alertname", "CanaryLatencyBurn").put("route", "shop"))
                .put("startsAt", Instant.now().toString())));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> "reverted".equals(shop().getString("state")));
        System.out.println("second alert (warm) posted to Alertmanager -> route reverted in "
                           + Duration.ofNanos(System.nanoTime() - again).toMillis() + " ms");
        assertThat(shop().getJsonObject("latch").getString("reason")).isEqualTo("alert:CanaryLatencyBurn");
    }

    @Test
    void alertmanagerWithoutTheTokenIsRefusedAndNothingReverts() throws Exception {
        Files.writeString(dir.resolve("alertmanager.yml"),
                Files.readString(dir.resolve("alertmanager.yml")).replace(TOKEN, "not-the-token"));
        // Alertmanager reloads its config on POST /-/reload.
        HttpResponse<String> reload = bed.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + amPort + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);

        postToAlertmanager(new JsonArray().add(new JsonObject()
                .put("labels", new JsonObject().put("alertname", "CanaryErrorBudgetBurn").put("route", "shop"))
                .put("startsAt", Instant.now().toString())));

        // Alertmanager reports the refused delivery in its log; the route is untouched.
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(dir.resolve("alertmanager.log")).contains("401"));
        assertThat(shop().getString("state")).isNotEqualTo("reverted");
        assertThat(gateway.events().recent()).noneMatch(e -> e.type().equals("revert"));
        assertThat(List.of(hook.delivered().size())).containsExactly(0);
    }
}
