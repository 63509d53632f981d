package dev.ramp.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.config.Endpoint;
import dev.ramp.gateway.testing.TestBed;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /health/ready follows the readiness signal (starting, serving, draining) while /health/live stays 200.
 * A second admin server on a gateway's parts, with the signal in the test's hands.
 */
class AdminReadinessTest {
    @TempDir
    Path dir;

    @Test
    void readyIs503UntilTheTrafficListenerIsUpAndAgainWhileDraining() throws Exception {
        try (TestBed bed = new TestBed(dir); Gateway gateway = bed.start(bed.gatewayConf(null, bed.route("shop", "/", "5%")))) {
            AtomicBoolean ready = new AtomicBoolean(false);
            AdminServer server = AdminServer.builder()
                    .vertx(gateway.vertx())
                    .listen(new Endpoint("127.0.0.1", 0))
                    .snapshot(gateway::snapshot)
                    .metrics(gateway.metrics())
                    .events(gateway.events())
                    .configState(gateway.configState())
                    .ready(ready::get)
                    .statusSource(gateway.guards())
                    .routeControl(gateway.guards())
                    .build();
            try {
                int port = server.start().await(10, TimeUnit.SECONDS);
                String base = "http://127.0.0.1:" + port;
                HttpResponse<String> starting = bed.get(base + "/health/ready");
                assertThat(starting.statusCode()).isEqualTo(503);
                assertThat(starting.body()).contains("not_ready");
                assertThat(bed.get(base + "/health/live").statusCode()).isEqualTo(200);

                ready.set(true);
                assertThat(bed.get(base + "/health/ready").statusCode()).isEqualTo(200);

                ready.set(false);
                assertThat(bed.get(base + "/health/ready").statusCode()).isEqualTo(503);
                assertThat(bed.get(base + "/health/live").statusCode()).isEqualTo(200);
            } finally {
                server.close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void tokensAreComparedByValue() {
        assertThat(RouteActions.sameSecret("abc", "abc")).isTrue();
        assertThat(RouteActions.sameSecret("abc", "abd")).isFalse();
        assertThat(RouteActions.sameSecret("abc", "abcd")).isFalse();
        assertThat(RouteActions.sameSecret("abc", "")).isFalse();
    }
}
