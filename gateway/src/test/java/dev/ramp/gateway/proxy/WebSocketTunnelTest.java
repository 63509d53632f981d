package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.RecordingObserver;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.WsClient;
import dev.ramp.gateway.testing.WsUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSockets through the gateway, between the JDK's WebSocket client and Vert.x WebSocket upstreams that tag
 * their echoes with their version: the upgrade takes the user's routing decision, counts as one attempt, and
 * the tunnel carries messages both ways with back-pressure until a side closes or a tunnel timeout fires.
 */
class WebSocketTunnelTest {
    @TempDir
    Path dir;

    Vertx vertx;
    WsUpstream stable;
    WsUpstream canary;
    Gateway gateway;
    final RecordingObserver observed = new RecordingObserver();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void upstreams() {
        vertx = Vertx.vertx();
        stable = WsUpstream.start(vertx, "v1");
        canary = WsUpstream.start(vertx, "v2");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private void start(String listenExtra, String... routes) throws Exception {
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, String.join(",", routes),
                listenExtra)), observed);
    }

    private String route(String name, String prefix, String weight, String extra) {
        return TestConfigs.route(name, stable.port, canary.port, weight,
                "match { path-prefix = \"" + prefix + "\" }, fallback { enabled = false }, " + extra);
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + path);
    }

    @Test
    void aUsersWebSocketGoesToTheVersionItsOtherRequestsGetAndEchoesBothWays() throws Exception {
        start("", route("chat", "/ws/", "50%", ""));
        int[] seen = new int[2];
        for (int i = 0; i < 12; i++) {
            String user = "user-" + i;
            String version = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                    + "/ws/plain")).header("X-User-Id", user).build(), HttpResponse.BodyHandlers.ofString()).body();
            seen[version.equals("v2") ? 1 : 0]++;
            WsClient c = WsClient.open(ws("/ws/chat"), false, "X-User-Id", user);
            for (int m = 0; m < 3; m++) {
                c.send("hello " + m);
                assertThat(c.next()).isEqualTo(version + ":hello " + m);
            }
            c.socket.sendClose(1000, "bye").join();
            assertThat(c.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        }
        assertThat(seen[0]).as("users on stable").isPositive();
        assertThat(seen[1]).as("users on canary").isPositive();
    }

    @Test
    void theOverrideHeaderAndARevertDecideTheTunnelAsTheyDoARequest() throws Exception {
        start("", route("all", "/ws/", "100%", ""));
        assertThat(echo(WsClient.open(ws("/ws/a"), false))).isEqualTo("v2:ping");
        assertThat(echo(WsClient.open(ws("/ws/a"), false, "X-Ramp-Version", "stable"))).isEqualTo("v1:ping");

        HttpResponse<String> reverted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.adminPort() + "/api/routes/all/revert")).header("Authorization", "Bearer test-token")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reverted.statusCode()).isEqualTo(200);
        assertThat(echo(WsClient.open(ws("/ws/a"), false))).isEqualTo("v1:ping");
    }

    @Test
    void aRevertClosesTheCanarysOpenTunnelsButNotStablesOrOnesTheOverridePinnedThere() throws Exception {
        start("", route("all", "/ws/", "100%", ""));
        WsClient onCanary = WsClient.open(ws("/ws/a"), false);
        WsClient onStable = WsClient.open(ws("/ws/a"), false, "X-Ramp-Version", "stable");
        onCanary.send("before");
        assertThat(onCanary.next()).isEqualTo("v2:before");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                + "/api/routes/all/revert")).header("Authorization", "Bearer test-token")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        WsClient pinned = WsClient.open(ws("/ws/a"), false, "X-Ramp-Version", "canary");
        assertThat(onCanary.ended.get(5, TimeUnit.SECONDS)).isNotNull(); // its user is on stable now: reconnects
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !onStable.ended.isDone() && !pinned.ended.isDone());
        onStable.send("after");
        assertThat(onStable.next()).isEqualTo("v1:after");
        pinned.send("after");
        assertThat(pinned.next()).isEqualTo("v2:after");
    }

    private static String echo(WsClient c) throws Exception {
        c.send("ping");
        String m = c.next();
        c.socket.abort();
        return m;
    }

    @Test
    void anUpgradeIsOneSuccessfulAttemptOfItsVersionInTheMetrics() throws Exception {
        start("", route("all", "/ws/", "100%", ""));
        WsClient c = WsClient.open(ws("/ws/a"), false);
        assertThat(echo(c)).isEqualTo("v2:ping");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(observed.count("canary/2xx")).isEqualTo(1);
            assertThat(observed.count("client/canary/101")).isEqualTo(1);
        });
        PrometheusScrape s = PrometheusScrape.parse(http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(s.counter("ramp_requests_total", "route", "all", "served_by", "canary", "status_class", "1xx"))
                .isEqualTo(1);
    }

    @Test
    void aRefusedUpgradeIsRelayedAsTheUpstreamAnsweredIt() throws Exception {
        start("", route("all", "/ws/", "0%", ""));
        assertThatThrownBy(() -> WsClient.open(ws("/ws/refuse"), false))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(403));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(observed.count("stable/4xx")).isEqualTo(1);
            assertThat(observed.count("client/stable/403")).isEqualTo(1);
        });
        assertThat(stable.opened).hasValue(0);
    }

    @Test
    void aCanaryThatCannotBeReachedFallsBackToStableButOneThatAnswered503DoesNot() throws Exception {
        start("", "{ name = \"down\", match { path-prefix = \"/ws/\" }, weight = \"100%\""
                  + ", stable { url = \"http://127.0.0.1:" + stable.port + "\", version = \"v1\" }"
                  + ", canary { url = \"http://127.0.0.1:1\", version = \"v2\" } }",
                route("busy", "/ws/refuse", "100%", "fallback { enabled = true }"));
        assertThat(echo(WsClient.open(ws("/ws/a"), false))).isEqualTo("v1:ping");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(observed.count("canary/connect_error")).isEqualTo(1);
            assertThat(observed.count("fallback/connect_error")).isEqualTo(1);
            assertThat(observed.count("stable/2xx")).isEqualTo(1);
        });

        // The handshake reached the canary: it is not replayed, and the canary's answer is the client's.
        assertThatThrownBy(() -> WsClient.open(ws("/ws/refuse-503"), false))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(503));
        await().atMost(Duration.ofSeconds(5)).until(() -> observed.count("client/canary/503") == 1);
        assertThat(observed.count("fallback/status_503")).isZero();
    }

    @Test
    void closingEitherSideClosesTheOther() throws Exception {
        start("", route("all", "/ws/", "0%", ""));
        WsClient cut = WsClient.open(ws("/ws/a"), false);
        assertThat(echo(cut)).isEqualTo("v1:ping"); // echo() cuts the client's connection without a close frame
        await().atMost(Duration.ofSeconds(5)).until(() -> stable.closed.get() == 1);

        WsClient closed = WsClient.open(ws("/ws/a"), false);
        closed.send("close"); // the upstream closes
        assertThat(closed.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(5)).until(() -> stable.closed.get() == 2);
    }

    @Test
    void severalMegabytesStreamBothWaysAndTheSenderWaitsWhileTheReceiverDoesNotRead() throws Exception {
        start("", route("all", "/ws/", "0%", ""));
        // More than every socket buffer on the way can hold (Linux autotunes a receive buffer up to tcp_rmem's
        // max, 32 MiB on these hosts, and a send buffer up to 4 MiB; four sockets there and back can absorb
        // well over 48 MiB), so the sender must stall.
        long total = 160L << 20;
        WsClient c = WsClient.open(ws("/ws/pipe"), true);
        AtomicLong sent = new AtomicLong();
        CRC32 crc = new CRC32();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> WsClient.pieces(total, 64 * 1024, b -> {
            crc.update(b.duplicate());
            c.socket.sendBinary(b, true).join();
            sent.addAndGet(b.capacity());
        }));
        // Nobody reads the echo: every buffer on the way fills and the gateway stops reading, so the sender stalls:
        // what it has sent stops growing, short of the total.
        long[] last = {-1, System.nanoTime()};
        await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(30)).until(() -> {
            long now = sent.get();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return now < total && System.nanoTime() - last[1] > 1_500_000_000L;
        });
        assertThat(sending).isNotDone();
        c.demand(Long.MAX_VALUE);
        sending.get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> c.binaryBytes() == total);
        assertThat(c.binaryCrc()).isEqualTo(crc.getValue());
    }

    @Test
    void anIdleTunnelIsClosedAtTunnelIdleAndTheClientIdleTimeoutDoesNotApply() throws Exception {
        start("listen { idle-timeout = 200ms }", route("quiet", "/ws/quiet", "0%", "timeouts { tunnel-idle = 700ms }"),
                route("busy", "/ws/", "0%", ""));
        WsClient busy = WsClient.open(ws("/ws/a"), false);
        WsClient quiet = WsClient.open(ws("/ws/quiet"), false);
        quiet.send("once");
        assertThat(quiet.next()).isEqualTo("v1:once");
        assertThat(quiet.ended.get(5, TimeUnit.SECONDS)).isNotNull(); // cut without a close frame
        await().atMost(Duration.ofSeconds(5)).until(() -> stable.closed.get() == 1);
        // The other tunnel outlived the client idle timeout several times over.
        assertThat(busy.ended).isNotDone();
        busy.send("still here");
        assertThat(busy.next()).isEqualTo("v1:still here");
    }

    @Test
    void aTunnelIsClosedAtTunnelMaxEvenWhenBusy() throws Exception {
        start("", route("short", "/ws/", "0%", "timeouts { tunnel-max = 800ms }"));
        long start = System.nanoTime(); // before the tunnel opens: its lifetime is at most this long
        WsClient c = WsClient.open(ws("/ws/a"), false);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!c.ended.isDone()) {
                c.socket.sendText("tick", true);
            }
            return c.ended.isDone();
        });
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
        assertThat(c.texts).isNotEmpty().allMatch(m -> m.equals("v1:tick"));
    }
}
