package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-Sent Events and long polls: each event reaches the client as it is sent, not when the response ends. */
class StreamingResponseTest {
    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();
    Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void eachServerSentEventArrivesBeforeTheResponseEnds() throws Exception {
        Promise<Void> more = Promise.promise();
        HttpServer events = vertx.createHttpServer().requestHandler(req -> {
            req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            req.response().write("data: one\n\n");
            more.future().onComplete(v -> req.response().end("data: two\n\n"));
        });
        // Were the first event held back until the response ends, this ends it later, and the test fails, not hangs.
        vertx.setTimer(5000, t -> more.tryComplete());
        int port = events.listen(0, "127.0.0.1").await().actualPort();
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("events", port, port, "0%", ""), "")));

        HttpResponse<InputStream> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/events"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("data: one"); // the upstream has not ended its response
            assertThat(more.future().isComplete()).isFalse();
            assertThat(lines.readLine()).isEmpty();
            more.tryComplete();
            assertThat(lines.readLine()).isEqualTo("data: two");
            assertThat(lines.readLine()).isEmpty();
            assertThat(lines.readLine()).isNull();
        }
    }
}
