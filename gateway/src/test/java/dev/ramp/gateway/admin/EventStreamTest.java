package dev.ramp.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/stream} and {@code GET /api/routes/:name/history} read as a browser would, from a real gateway. */
class EventStreamTest {
    @TempDir
    Path dir;
    Vertx vertx;
    TestUpstream stable;
    TestUpstream canary;
    Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final List<Stream> streams = new ArrayList<>();

    /** One SSE connection: its events parsed as they arrive, on a thread of its own. */
    final class Stream implements AutoCloseable {
        record Event(String name, JsonObject data) {}

        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final InputStream body;
        final HttpResponse<InputStream> response;

        Stream() throws Exception {
            response = http.send(HttpRequest.newBuilder(admin("/api/stream")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            Thread t = new Thread(this::read, "sse-reader");
            t.setDaemon(true);
            t.start();
            streams.add(this);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String name = null;
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(new Event(name, new JsonObject(line.substring(6))));
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        /** The next event named {@code name}, skipping others; fails after 5 s. */
        JsonObject next(String name) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                Event e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e.name().equals(name)) {
                    return e.data();
                }
            }
            throw new AssertionError("no " + name + " event within 5 s");
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        canary = TestUpstream.start(vertx, "canary");
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", stable.port, canary.port, "50%", "") + ","
                + TestConfigs.route("blog", stable.port, canary.port, "10%", "match { path-prefix = \"/blog\" }"), "")));
    }

    @AfterEach
    void stop() throws Exception {
        for (Stream s : streams) {
            s.close();
        }
        gateway.shutdown(Duration.ofSeconds(1));
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStreamStartsWithTheStatusAndCarriesEachEventAsItIsRecorded() throws Exception {
        Stream s = new Stream();
        assertThat(s.response.statusCode()).isEqualTo(200);
        assertThat(s.response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        JsonObject first = s.next("status");
        JsonArray routes = first.getJsonObject("status").getJsonArray("routes");
        assertThat(routes).hasSize(2);
        assertThat(routes.getJsonObject(0).getString("name")).isEqualTo("shop");
        assertThat(routes.getJsonObject(0).getString("state")).isNotEqualTo("reverted");

        HttpResponse<String> revert = send(HttpRequest.newBuilder(admin("/api/routes/shop/revert"))
                .header("Authorization", "Bearer test-token").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(revert.statusCode()).isEqualTo(200);
        JsonObject event = s.next("event");
        assertThat(event.getString("type")).isEqualTo("revert");
        assertThat(event.getString("route")).isEqualTo("shop");
        // The next snapshot (at most a second later) shows it.
        await().atMost(Duration.ofSeconds(3)).until(() -> s.next("status").getJsonObject("status").getJsonArray("routes")
                .getJsonObject(0).getString("state").equals("reverted"));
    }

    @Test
    void trafficShowsUpInTheHistoryAndInTheSnapshots() throws Exception {
        Stream s = new Stream();
        for (int i = 0; i < 20; i++) {
            assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/x"))
                    .header("X-User-Id", "u" + i)).statusCode()).isEqualTo(200);
        }
        // Each second's point is closed by the next tick.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            JsonObject h = s.next("status").getJsonObject("history").getJsonObject("shop");
            return h != null;
        });
        JsonObject history = new JsonObject(send(HttpRequest.newBuilder(admin("/api/routes/shop/history"))).body());
        assertThat(history.getInteger("seconds")).isEqualTo(900);
        assertThat(history.getLong("end")).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        int total = 0;
        for (String v : List.of("stable", "canary")) {
            JsonArray requests = history.getJsonObject(v).getJsonArray("requests");
            for (int i = 0; i < requests.size(); i++) {
                total += requests.getInteger(i);
            }
            assertThat(history.getJsonObject(v).getJsonArray("p99Ms").size()).isEqualTo(requests.size());
        }
        // The last second may still be open: at least what was closed, never more than was sent.
        await().atMost(Duration.ofSeconds(3)).until(() -> sum(new JsonObject(
                send(HttpRequest.newBuilder(admin("/api/routes/shop/history"))).body())) == 20);
        assertThat(total).isLessThanOrEqualTo(20);
        JsonObject idle = new JsonObject(send(HttpRequest.newBuilder(admin("/api/routes/blog/history"))).body());
        assertThat(idle.getValue("end")).isNull();
        assertThat(idle.getJsonObject("stable").getJsonArray("requests")).isEmpty();
        assertThat(send(HttpRequest.newBuilder(admin("/api/routes/nope/history"))).statusCode()).isEqualTo(404);
    }

    static int sum(JsonObject history) {
        int total = 0;
        for (String v : List.of("stable", "canary")) {
            JsonArray requests = history.getJsonObject(v).getJsonArray("requests");
            for (int i = 0; i < requests.size(); i++) {
                total += requests.getInteger(i);
            }
        }
        return total;
    }

    @Test
    void streamsAreCappedAndAClosedStreamFreesItsPlace() throws Exception {
        List<Stream> open = new ArrayList<>();
        for (int i = 0; i < EventStream.MAX_STREAMS; i++) {
            Stream s = new Stream();
            assertThat(s.response.statusCode()).isEqualTo(200);
            s.next("status");
            open.add(s);
        }
        HttpResponse<String> refused = send(HttpRequest.newBuilder(admin("/api/stream")));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("too_many_streams");
        for (Stream s : open) {
            s.close();
        }
        // Closed streams are forgotten (and stop listening to the event log): there is room again.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Stream s = new Stream();
            boolean ok = s.response.statusCode() == 200;
            s.close();
            return ok;
        });
    }

    @Test
    void thePageAndItsFilesAreServedWithAStrictPolicy() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(admin("/")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'");
        assertThat(page.body()).contains("/dashboard/app.js");
        assertThat(send(HttpRequest.newBuilder(admin("/dashboard/app.js"))).body()).contains("EventSource");
        assertThat(send(HttpRequest.newBuilder(admin("/dashboard/app.css"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(admin("/dashboard/"))).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(admin("/dashboard/other.js"))).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(admin("/")).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(405);
    }
}
