package dev.ramp.gateway.admin;

import static dev.ramp.gateway.testing.TestBed.admin;
import static dev.ramp.gateway.testing.TestBed.traffic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.demo.DemoUpstream;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/status shows why a route is breaching: the guard's verdict, breaches, count in a row, evidence. */
class StatusGuardTest {
    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        bed.close();
    }

    private JsonObject route() {
        return new JsonObject(bed.get(admin(gateway, "/api/status")).body()).getJsonArray("routes").getJsonObject(0);
    }

    @Test
    void aBreachingRouteShowsItsBreachesAndEvidenceInTheStatus() throws Exception {
        bed = new TestBed(dir);
        String route = bed.route("shop", "/", "50%").replace("fallback { enabled = false } }",
                "fallback { enabled = false }, circuit-breaker { enabled = false }, guard { evaluate-every = 100ms, "
                + "min-requests = 5, breaches-to-revert = 1000, consecutive-failures-to-revert = 100000 } }");
        gateway = bed.start(bed.gatewayConf("t0k3n", route));
        await().atMost(Duration.ofSeconds(5)).until(() -> route().getJsonObject("guard") != null);
        assertThat(route().getJsonObject("guard").fieldNames()).contains("verdict", "breaches", "consecutiveBreaches", "breachesToRevert",
                "evidence");

        bed.canary.fault(new DemoUpstream.Fault("status", 500, 1.0, 0)).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 80; i++) {
            bed.get(traffic(gateway, "/"), "X-User-Id", "user-" + i);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject r = route();
            assertThat(r.getString("state")).isEqualTo("breaching");
            JsonObject guard = r.getJsonObject("guard");
            assertThat(guard.getString("verdict")).isEqualTo("breaching");
            assertThat(guard.getInteger("consecutiveBreaches")).isPositive();
            assertThat(guard.getInteger("breachesToRevert")).isEqualTo(1000);
            assertThat(guard.getJsonArray("breaches").getJsonObject(0).getString("rule")).isEqualTo("error_rate");
            JsonObject canary = guard.getJsonObject("evidence").getJsonObject("canary");
            assertThat(canary.getInteger("errors")).isPositive();
            assertThat(canary.getDouble("errorRate")).isEqualTo(1.0);
        });
    }
}
