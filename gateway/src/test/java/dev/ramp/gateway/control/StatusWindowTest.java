package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.ramp.gateway.admin.GuardJson;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/status's window is the guard's own window: its percentiles match a reference on the same samples. */
class StatusWindowTest {
    @TempDir
    Path dir;

    @Test
    void statusPercentilesAgreeWithAReferenceComputedFromTheSameSamples() {
        GatewayConfig config = TestConfigs.load(dir, TestConfigs.gateway(dir,
                TestConfigs.route("shop", 9001, 9002, "50%", ""), ""));
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RampMetrics metrics = RampMetrics.create();
        GuardService guards = new GuardService(new LatchStore(dir.resolve("state")), metrics, EventLog.of(),
                now::get, Clock.systemUTC());
        LiveRoute route = new LiveRoute(config.routes().get(0), null);
        guards.sync(new RoutingSnapshot(config, List.of(route)), Map.of());

        Random random = new Random(42);
        double[] stableMs = new double[2000];
        double[] canaryMs = new double[1500];
        int canaryErrors = 0;
        for (int i = 0; i < stableMs.length; i++) {
            stableMs[i] = 1 + random.nextDouble() * 40; // 1..41 ms
            guards.observerFor("shop").onAttempt(Version.STABLE, Outcome.SUCCESS_2XX, (long) (stableMs[i] * 1_000_000));
        }
        for (int i = 0; i < canaryMs.length; i++) {
            canaryMs[i] = Math.exp(random.nextGaussian()) * 10; // log-normal around 10 ms
            boolean error = i % 50 == 0;
            canaryErrors += error ? 1 : 0;
            guards.observerFor("shop").onAttempt(Version.CANARY, error ? Outcome.SERVER_5XX : Outcome.SUCCESS_2XX,
                    (long) (canaryMs[i] * 1_000_000));
        }
        guards.tick();
        JsonObject window = GuardJson.status(guards.guardStatus(route)).getJsonObject("window");

        check(window.getJsonObject("stable"), stableMs, 0);
        check(window.getJsonObject("canary"), canaryMs, canaryErrors);
        guards.close();
        metrics.close();
    }

    private static void check(JsonObject w, double[] samples, int errors) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        assertThat(w.getLong("requests")).isEqualTo(samples.length);
        assertThat(w.getDouble("errorRate")).isCloseTo(errors / (double) samples.length,
                org.assertj.core.data.Offset.offset(0.0005));
        // HdrHistogram keeps 3 significant digits; the JSON rounds; 1 % covers both.
        assertThat(w.getDouble("p50Ms")).isCloseTo(rank(sorted, 0.50), withPercentage(1));
        assertThat(w.getDouble("p95Ms")).isCloseTo(rank(sorted, 0.95), withPercentage(1));
        assertThat(w.getDouble("p99Ms")).isCloseTo(rank(sorted, 0.99), withPercentage(1));
    }

    /** Nearest-rank percentile, as HdrHistogram reports it. */
    private static double rank(double[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, idx)];
    }
}
