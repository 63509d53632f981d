package dev.ramp.gateway.notify;

import static dev.ramp.gateway.testing.TestBed.admin;
import static dev.ramp.gateway.testing.TestBed.traffic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.TestBed;
import dev.ramp.gateway.testing.WebhookReceiver;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose webhook misbehaves: one that accepts connections and never answers, and one that is down,
 * then slow, then up. Reverts, resumes and traffic go on at their usual pace while notifications wait, time
 * out, are retried and are counted in {@code /metrics}.
 */
class DeadReceiverTest {
    private static final String TOKEN = "dead-receiver-token-0123";
    private static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    Path dir;
    private TestBed bed;
    private WebhookReceiver dead;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
    }

    private void startGateway(java.util.function.IntFunction<WebhookReceiver.Behaviour> receiver, String settings)
            throws Exception {
        dead = new WebhookReceiver(bed.vertx, receiver);
        String conf = bed.gatewayConf(TOKEN, bed.route("shop", "/", "50%"));
        conf = conf.substring(0, conf.lastIndexOf('}'))
               + "  notify = [ { url = \"" + dead.url("/hook") + "\", name = \"dead\", events = [\"all\"], "
               + settings + " } ]\n}\n";
        gateway = bed.start(conf);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (dead != null) {
            dead.close();
        }
        bed.close();
    }

    @Test
    void revertsAndTrafficDoNotWaitForAReceiverThatNeverAnswers() throws Exception {
        startGateway(n -> WebhookReceiver.Behaviour.NEVER_ANSWER, "timeout = 30s, max-attempts = 5, queue = 3");
        // One round first, so the JVM's first admin and proxy requests (class loading, JIT) are not measured.
        bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", BEARER);
        bed.post(admin(gateway, "/api/routes/shop/resume"), "Authorization", BEARER);
        bed.get(traffic(gateway, "/x"));
        long worstAction = 0;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            HttpResponse<String> revert = bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", BEARER);
            assertThat(revert.statusCode()).isEqualTo(200);
            HttpResponse<String> resume = bed.post(admin(gateway, "/api/routes/shop/resume"), "Authorization", BEARER);
            assertThat(resume.statusCode()).isEqualTo(200);
            worstAction = Math.max(worstAction, System.nanoTime() - t);
        }
        long worstRequest = 0;
        for (int i = 0; i < 50; i++) {
            long t = System.nanoTime();
            assertThat(bed.get(traffic(gateway, "/x")).statusCode()).isEqualTo(200);
            worstRequest = Math.max(worstRequest, System.nanoTime() - t);
        }

        // A blocking sender would hold each action for the receiver's 30 s timeout.
        // Twelve events, a queue of three: one posted (hanging for 30 s), two waiting, nine dropped and counted.
        assertThat(Duration.ofNanos(worstAction)).isLessThan(Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(worstRequest)).isLessThan(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> dead.requests() == 1);
        double dropped = bed.scrape(gateway).counter("ramp_notifications_total", "target", "dead", "result", "dropped");
        assertThat(dropped).isEqualTo(9.0);
        JsonObject status = new JsonObject(bed.get(admin(gateway, "/api/status")).body());
        assertThat(status.getJsonArray("routes").getJsonObject(0).getString("state")).isNotEqualTo("reverted");
    }

    @Test
    void aReceiverDownThenSlowThenUpGetsTheRevertOnceWhileTrafficFlows() throws Exception {
        startGateway(n -> switch (n) {
            case 1 -> WebhookReceiver.Behaviour.DROP_CONNECTION;   // down: the connection is dropped
            case 2 -> WebhookReceiver.Behaviour.NEVER_ANSWER;      // slow: no answer within the timeout
            default -> WebhookReceiver.Behaviour.OK;               // up
        }, "events = [\"revert\"], timeout = 1s, backoff = 200ms, max-attempts = 5");
        bed.get(traffic(gateway, "/x")); // the JVM's first proxied request is not measured

        assertThat(bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", BEARER).statusCode()).isEqualTo(200);
        long worstRequest = 0;
        int requests = 0;
        while (dead.delivered().isEmpty() && requests < 2000) {
            long t = System.nanoTime();
            assertThat(bed.get(traffic(gateway, "/x")).statusCode()).isEqualTo(200);
            worstRequest = Math.max(worstRequest, System.nanoTime() - t);
            requests++;
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> dead.delivered().size() == 1);
        assertThat(dead.requests()).isEqualTo(3);
        assertThat(dead.delivered().get(0).body().getString("type")).isEqualTo("revert");
        assertThat(requests).as("traffic served while the notification was retried").isPositive();
        assertThat(Duration.ofNanos(worstRequest)).isLessThan(Duration.ofSeconds(1));
        await().until(() -> bed.scrape(gateway).counter("ramp_notifications_total", "target", "dead", "result", "sent") == 1.0);
    }
}
