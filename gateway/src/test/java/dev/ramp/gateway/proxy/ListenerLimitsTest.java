package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ramp.listen.limits against slow and greedy clients, with raw sockets. */
class ListenerLimitsTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private TestUpstream stable;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stable.port, stable.port, "0%", "guard { enabled = false }"),
                "listen.limits { header-timeout = 300ms, body-timeout = 300ms, max-header-count = 20 }")));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.shutdown(Duration.ofSeconds(1));
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** Sends {@code bytes}, then waits: returns how long until the gateway closed the connection. */
    private Duration closedAfter(String bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // drain until the close
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    @Test
    void aHeadTrickledInIsCutOffAtTheHeaderTimeout() throws Exception {
        assertThat(closedAfter("GET / HTTP/1.1\r\nHost: shop\r\nX-Slow: ")).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aStalledBodyIsCutOffAtTheBodyTimeoutAndNothingWaitsOnIt() throws Exception {
        assertThat(closedAfter("POST /p HTTP/1.1\r\nHost: shop\r\nContent-Length: 10\r\n\r\nab"))
                .isLessThan(Duration.ofSeconds(3));
        // A prompt client is served as before.
        assertThat(RawHttp.exchange(gateway.port(), "GET /ok HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n",
                5000)).startsWith("HTTP/1.1 200");
    }

    @Test
    void tooManyHeaderFieldsAre431() throws Exception {
        String answer = RawHttp.exchange(gateway.port(), "GET / HTTP/1.1\r\nHost: shop\r\n"
                + "X-Many: v\r\n".repeat(20) + "\r\n", 5000);
        assertThat(answer).startsWith("HTTP/1.1 431").contains("more than 20 header fields");
        assertThat(RawHttp.exchange(gateway.port(), "GET / HTTP/1.1\r\nHost: shop\r\n" + "X-Many: v\r\n".repeat(18)
                + "Connection: close\r\n\r\n", 5000)).as("20 fields are fine").startsWith("HTTP/1.1 200");
    }

    private Gateway withConnectionLimits(String limits) throws Exception {
        gateway.shutdown(Duration.ofSeconds(1));
        return Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stable.port, stable.port, "0%", "guard { enabled = false }"),
                "listen.limits { " + limits + " }")));
    }

    private static boolean closedAtOnce(Socket s) throws Exception {
        s.setSoTimeout(2000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false; // still open
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Test
    void connectionsOverThePerAddressLimitAreClosedAtAcceptAndCounted() throws Exception {
        gateway = withConnectionLimits("max-connections-per-ip = 2");
        try (Socket a = new Socket("127.0.0.1", gateway.port()); Socket b = new Socket("127.0.0.1", gateway.port())) {
            Thread.sleep(200); // both accepted and counted
            try (Socket c = new Socket("127.0.0.1", gateway.port())) {
                assertThat(closedAtOnce(c)).as("the third from one address").isTrue();
            }
            assertThat(closedAtOnce(a)).as("the admitted stay open").isFalse();
        }
        Thread.sleep(200); // a and b closed: their slots are free again
        assertThat(RawHttp.exchange(gateway.port(), "GET /ok HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n",
                5000)).startsWith("HTTP/1.1 200");
        assertThat(dev.ramp.gateway.testing.PrometheusScrape.parse(gateway.metrics().scrape())
                .counter("ramp_connections_rejected_total", "reason", "max_connections_per_ip")).isEqualTo(1);
    }

    @Test
    void connectionsOverTheListenerLimitAreClosedAtAccept() throws Exception {
        gateway = withConnectionLimits("max-connections = 1, max-connections-per-ip = 1");
        try (Socket a = new Socket("127.0.0.1", gateway.port())) {
            Thread.sleep(200);
            try (Socket b = new Socket("127.0.0.1", gateway.port())) {
                assertThat(closedAtOnce(b)).isTrue();
            }
        }
        assertThat(dev.ramp.gateway.testing.PrometheusScrape.parse(gateway.metrics().scrape())
                .counter("ramp_connections_rejected_total", "reason", "max_connections")).isEqualTo(1);
    }
}
