package dev.ramp.gateway.notify;

import static dev.ramp.gateway.testing.WebhookReceiver.Behaviour.DROP_CONNECTION;
import static dev.ramp.gateway.testing.WebhookReceiver.Behaviour.FAIL_503;
import static dev.ramp.gateway.testing.WebhookReceiver.Behaviour.NEVER_ANSWER;
import static dev.ramp.gateway.testing.WebhookReceiver.Behaviour.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.config.NotifyFormat;
import dev.ramp.gateway.config.NotifyTarget;
import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.Resumed;
import dev.ramp.gateway.events.Reverted;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.state.AlertCause;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notifier against a real HTTP receiver on port 0: formats, retries with back-off, timeouts, a dead
 * receiver, a full queue, and which events each webhook gets.
 */
class NotifierTest {
    private static final Instant RECORDED = Instant.parse("2026-12-02T10:00:05Z");
    private final Vertx vertx = Vertx.vertx();
    private final RampMetrics metrics = RampMetrics.create();
    private final EventLog events = EventLog.of(100, Clock.fixed(RECORDED, ZoneOffset.UTC));
    private final AtomicReference<List<NotifyTarget>> targets = new AtomicReference<>(List.of());
    private final Notifier notifier = Notifier.start(vertx, events, metrics, targets::get);
    private WebhookReceiver receiver;

    /**
     * The JVM's first client connection costs seconds of class loading and JIT on a loaded machine; one post
     * first, so the timeouts below measure the receiver, not the JVM warming up.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        Vertx v = Vertx.vertx();
        try (WebhookReceiver r = new WebhookReceiver(v, n -> OK)) {
            EventLog log = EventLog.of();
            RampMetrics m = RampMetrics.create();
            Notifier n = Notifier.start(v, log, m, () -> List.of(target(r.url("/warm-up"), 1, Duration.ofSeconds(30))));
            log.record(new Reverted(latch(null)));
            await().atMost(Duration.ofSeconds(30)).until(() -> r.delivered().size() == 1);
            n.close();
            m.close();
        } finally {
            v.close().await(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() throws Exception {
        notifier.close();
        if (receiver != null) {
            receiver.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
        metrics.close();
    }

    private static NotifyTarget target(String url, NotifyFormat format, Set<String> events, Duration timeout,
                                       int attempts, Duration backoff, int queue) {
        return new NotifyTarget("hook", URI.create(url), format, events, timeout, attempts, backoff, queue,
                Map.of("Authorization", "Bearer hook-secret"));
    }

    private static NotifyTarget target(String url, int attempts, Duration timeout) {
        return target(url, NotifyFormat.JSON, Set.of("all"), timeout, attempts, Duration.ofMillis(50), 100);
    }

    private static Latch latch(AlertCause alert) {
        return new Latch("shop", alert == null ? "manual" : alert.reason(), Instant.parse("2026-12-02T10:00:00Z"),
                "http://127.0.0.1:9002", "v1.5.0", new JsonObject(), alert);
    }

    private static AlertCause alert() {
        return new AlertCause("CanaryErrorBudgetBurn", Map.of("alertname", "CanaryErrorBudgetBurn", "route", "shop"),
                Map.of("summary", "errors <5% & rising"));
    }

    private double count(String result) {
        PrometheusScrape s = PrometheusScrape.parse(metrics.scrape());
        return s.has("ramp_notifications_total")
               && s.labelSets("ramp_notifications_total").contains(PrometheusScrape.labels("target", "hook", "result", result))
                ? s.counter("ramp_notifications_total", "target", "hook", "result", result) : 0;
    }

    @Test
    void aRevertIsPostedAsTheDocumentedJson() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> OK);
        targets.set(List.of(target(receiver.url("/hook"), 1, Duration.ofSeconds(5))));

        events.record(new Reverted(latch(alert())));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.delivered().size() == 1);
        WebhookReceiver.Received r = receiver.delivered().get(0);
        JsonObject body = r.body();
        assertThat(body.fieldNames()).containsExactly("version", "source", "at", "type", "route", "message", "details");
        assertThat(body.getInteger("version")).isEqualTo(1);
        assertThat(body.getString("source")).isEqualTo("ramp");
        assertThat(body.getString("type")).isEqualTo("revert");
        assertThat(body.getString("route")).isEqualTo("shop");
        assertThat(body.getString("at")).isEqualTo("2026-12-02T10:00:05Z");
        assertThat(body.getString("message")).contains("v1.5.0").contains("alert:CanaryErrorBudgetBurn");
        JsonObject details = body.getJsonObject("details");
        assertThat(details.getString("reason")).isEqualTo("alert:CanaryErrorBudgetBurn");
        assertThat(details.getJsonObject("alert").getJsonObject("labels").getString("route")).isEqualTo("shop");
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer hook-secret");
        await().until(() -> count("sent") == 1.0);
    }

    @Test
    void theSlackFormatIsTextAndBlocksWithSlacksCharactersEscaped() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> OK);
        targets.set(List.of(target(receiver.url("/services/T0/B0/x"), NotifyFormat.SLACK, Set.of("revert"),
                Duration.ofSeconds(5), 1, Duration.ofMillis(50), 10)));

        events.record(new Reverted(latch(alert())));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.delivered().size() == 1);
        JsonObject body = receiver.delivered().get(0).body();
        assertThat(body.fieldNames()).containsExactly("text", "blocks");
        assertThat(body.getString("text")).startsWith("Ramp revert on route shop: canary v1.5.0 reverted");
        JsonArray blocks = body.getJsonArray("blocks");
        assertThat(blocks).hasSize(2);
        JsonObject section = blocks.getJsonObject(0);
        assertThat(section.getString("type")).isEqualTo("section");
        assertThat(section.getJsonObject("text").getString("type")).isEqualTo("mrkdwn");
        assertThat(section.getJsonObject("text").getString("text")).startsWith("*revert* · route `shop`\n");
        JsonObject context = blocks.getJsonObject(1);
        assertThat(context.getString("type")).isEqualTo("context");
        String line = context.getJsonArray("elements").getJsonObject(0).getString("text");
        assertThat(line).contains("2026-12-02T10:00:05Z").contains("reason alert:CanaryErrorBudgetBurn")
                .contains("errors &lt;5% &amp; rising").doesNotContain("<5%");
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheNotificationOnceWithGrowingWaits() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> n <= 2 ? FAIL_503 : OK);
        targets.set(List.of(target(receiver.url("/hook"), 5, Duration.ofSeconds(5))));

        events.record(new Reverted(latch(null)));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("sent") == 1.0);
        assertThat(receiver.requests()).isEqualTo(3);
        assertThat(receiver.delivered()).hasSize(1);
        assertThat(count("failed")).isZero();
        List<WebhookReceiver.Received> all = receiver.received();
        // Back-off 50 ms, then doubled: the second wait is at least 100 ms.
        assertThat(Duration.ofNanos(all.get(1).atNanos() - all.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(Duration.ofNanos(all.get(2).atNanos() - all.get(1).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aReceiverDownThenSlowThenUpGetsTheNotificationOnceItIsUp() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> switch (n) {
            case 1 -> DROP_CONNECTION;
            case 2 -> NEVER_ANSWER;
            default -> OK;
        });
        targets.set(List.of(target(receiver.url("/hook"), 5, Duration.ofMillis(300))));

        events.record(new Reverted(latch(null)));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("sent") == 1.0);
        assertThat(receiver.requests()).isEqualTo(3);
        assertThat(receiver.delivered()).singleElement()
                .satisfies(r -> assertThat(r.body().getString("type")).isEqualTo("revert"));
    }

    @Test
    void aReceiverThatNeverAnswersIsGivenUpAndTheNextNotificationStillGoes() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> NEVER_ANSWER);
        targets.set(List.of(target(receiver.url("/hook"), 2, Duration.ofMillis(200))));

        events.record(new Reverted(latch(null)));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("failed") == 1.0);
        assertThat(receiver.requests()).isEqualTo(2);

        receiver.behave(n -> OK);
        events.record(new Resumed("shop", "v1.5.0", Percent.parse("10%"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("sent") == 1.0);
        assertThat(receiver.delivered()).singleElement()
                .satisfies(r -> assertThat(r.body().getString("type")).isEqualTo("resume"));
    }

    @Test
    void aRefusedConnectionIsRetriedThenCountedFailed() {
        targets.set(List.of(target("http://127.0.0.1:1/hook", 3, Duration.ofSeconds(2))));

        events.record(new Reverted(latch(null)));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("failed") == 1.0);
        assertThat(count("sent")).isZero();
        assertThat(notifier.pending()).isZero();
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaiting() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> NEVER_ANSWER);
        targets.set(List.of(target(receiver.url("/hook"), NotifyFormat.JSON, Set.of("all"), Duration.ofSeconds(30), 5,
                Duration.ofSeconds(1), 2)));

        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            events.record(new Reverted(latch(null)));
        }
        Duration recording = Duration.ofNanos(System.nanoTime() - start);

        // Two fit (one in flight, one waiting); three are dropped as they come, the recorder never waits.
        assertThat(count("dropped")).isEqualTo(3.0);
        assertThat(notifier.pending()).isEqualTo(2);
        assertThat(recording).isLessThan(Duration.ofMillis(500));
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.requests() == 1); // one at a time
        assertThat(receiver.requests()).isEqualTo(1);
    }

    @Test
    void notificationsArriveInTheOrderTheirEventsWereRecorded() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> n % 2 == 1 ? FAIL_503 : OK); // every first attempt fails
        targets.set(List.of(target(receiver.url("/hook"), 3, Duration.ofSeconds(5))));

        for (int i = 0; i < 3; i++) {
            events.record(new Reverted(latch(null)));
            events.record(new Resumed("shop", "v1.5.0", Percent.parse("10%"), null));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.delivered().size() == 6);
        assertThat(receiver.delivered()).extracting(r -> r.body().getString("type"))
                .containsExactly("revert", "resume", "revert", "resume", "revert", "resume");
    }

    @Test
    void aWebhookGetsOnlyTheEventsItSelectsAndAReloadAppliesToTheNextEvent() throws Exception {
        receiver = new WebhookReceiver(vertx, n -> OK);
        targets.set(List.of(target(receiver.url("/hook"), NotifyFormat.JSON, Set.of("resume"), Duration.ofSeconds(5), 1,
                Duration.ofMillis(50), 10)));

        events.record(new Reverted(latch(null)));
        events.record(new Resumed("shop", "v1.5.0", Percent.parse("10%"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("sent") == 1.0);

        targets.set(List.of()); // a reload removed the webhook
        events.record(new Resumed("shop", "v1.5.0", Percent.parse("10%"), null));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> receiver.requests() == 1);
        assertThat(receiver.delivered()).singleElement()
                .satisfies(r -> assertThat(r.body().getString("type")).isEqualTo("resume"));
    }
}
