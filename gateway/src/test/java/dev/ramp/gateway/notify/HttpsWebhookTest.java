package dev.ramp.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.config.NotifyFormat;
import dev.ramp.gateway.config.NotifyTarget;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.Reverted;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.testing.PrometheusScrape;
import dev.ramp.gateway.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https webhook's certificate is verified against the JDK's trust store: a receiver whose certificate no
 * trusted authority issued never gets the notification (it would carry a secret URL and headers).
 */
class HttpsWebhookTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private final RampMetrics metrics = RampMetrics.create();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        metrics.close();
    }

    @Test
    void aReceiverWithAnUntrustedCertificateGetsNothing() throws Exception {
        TestCertificates ca = TestCertificates.authority("Untrusted Test CA");
        ca.issue("localhost", "localhost").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(dir.resolve("cert.pem").toString())
                                .setKeyPath(dir.resolve("key.pem").toString())))
                .requestHandler(req -> {
                    requests.incrementAndGet();
                    req.response().end();
                });
        int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        EventLog events = EventLog.of();
        NotifyTarget target = new NotifyTarget("tls", URI.create("https://localhost:" + port + "/hook"), NotifyFormat.JSON,
                Set.of("all"), Duration.ofSeconds(5), 2, Duration.ofMillis(50), 10, Map.of());
        Notifier notifier = Notifier.start(vertx, events, metrics, () -> List.of(target));

        events.record(new Reverted(new Latch("shop", "manual", Instant.now(), "http://127.0.0.1:9002", "v2",
                new JsonObject())));

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            PrometheusScrape s = PrometheusScrape.parse(metrics.scrape());
            return s.has("ramp_notifications_total")
                   && s.labelSets("ramp_notifications_total").contains(PrometheusScrape.labels("target", "tls", "result", "failed"));
        });
        assertThat(requests.get()).isZero();
        notifier.close();
    }
}
