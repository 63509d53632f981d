package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.RawUpstream;
import dev.ramp.gateway.testing.TestConfigs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ramp.listen.limits.max-upstream-connections and upstream-wait: at most that many connections to an origin
 * from one event loop; requests beyond them wait in line for one, within a bound, and never open more.
 */
class UpstreamConnectionLimitTest {
    private static final String GET = "GET /x HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;
    private Gateway gateway;
    private RawUpstream upstream;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** An upstream that answers every request after {@code delayMillis}, keeping its connections open. */
    private RawUpstream slowUpstream(long delayMillis) throws IOException {
        return RawUpstream.start(s -> {
            while (RawUpstream.readHead(s.getInputStream()) != null) {
                int n = requests.incrementAndGet();
                Thread.sleep(delayMillis);
                String body = "r" + n;
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
        });
    }

    private Gateway start(int port, String limits) throws Exception {
        return Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", port, port, "0%", "guard { enabled = false }"),
                "listen.event-loops = 1\nlisten.limits { " + limits + " }")));
    }

    private CompletableFuture<String> send() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.exchange(gateway.port(), GET, 10_000);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void requestsBeyondTheLimitWaitForTheConnectionAndAllAreServed() throws Exception {
        upstream = slowUpstream(200);
        gateway = start(upstream.port(), "max-upstream-connections = 1, upstream-wait = 5s");
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(send());
        }
        for (CompletableFuture<String> a : answers) {
            assertThat(a.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        }
        assertThat(upstream.connections()).as("one connection carried all four in turn").isEqualTo(1);
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void aRequestThatWaitsLongerThanUpstreamWaitIsA504SayingWhy() throws Exception {
        upstream = slowUpstream(2_000);
        gateway = start(upstream.port(), "max-upstream-connections = 1, upstream-wait = 300ms");
        CompletableFuture<String> first = send();
        Thread.sleep(300); // the first holds the only connection
        long start = System.nanoTime();
        String second = RawHttp.exchange(gateway.port(), GET, 10_000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
        assertThat(second).startsWith("HTTP/1.1 504").contains("came free within 300 ms")
                .contains("max-upstream-connections");
        assertThat(first.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        assertThat(upstream.connections()).isEqualTo(1);
        assertThat(requests.get()).as("the timed-out request never reached the upstream").isEqualTo(1);
    }

    @Test
    void aWaiterWhoseClientLeftIsSkippedAndTheConnectionIsPooled() throws Exception {
        upstream = slowUpstream(600);
        gateway = start(upstream.port(), "max-upstream-connections = 1, upstream-wait = 5s");
        CompletableFuture<String> first = send();
        Thread.sleep(200);
        try (Socket gone = new Socket("127.0.0.1", gateway.port())) {
            gone.getOutputStream().write(GET.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(100); // queued behind the first
        }
        assertThat(first.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
        Thread.sleep(100);
        assertThat(RawHttp.exchange(gateway.port(), GET, 10_000)).startsWith("HTTP/1.1 200");
        assertThat(upstream.connections()).isEqualTo(1);
        assertThat(requests.get()).as("the departed client's request was never sent").isEqualTo(2);
    }

    @Test
    void failedConnectsGiveTheirSlotBack() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        gateway = start(closedPort, "max-upstream-connections = 1, upstream-wait = 200ms");
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttp.exchange(gateway.port(), GET, 10_000)).as("attempt %d", i)
                    .startsWith("HTTP/1.1 502").contains("cannot connect");
        }
    }
}
