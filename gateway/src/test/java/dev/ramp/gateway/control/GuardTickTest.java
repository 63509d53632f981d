package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's timer sleeps until the next route is due instead of polling (a clock is injected). */
class GuardTickTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final RampMetrics metrics = RampMetrics.create();
    private GuardService guards;

    @AfterEach
    void close() {
        if (guards != null) {
            guards.close();
        }
        metrics.close();
    }

    private GuardService withRoutes(String... routes) {
        GatewayConfig config = TestConfigs.load(dir, TestConfigs.gateway(dir, String.join(",\n", routes), ""));
        guards = new GuardService(new LatchStore(dir.resolve("state")), metrics, EventLog.of(), now::get,
                Clock.systemUTC());
        List<LiveRoute> live = config.routes().stream().map(rc -> new LiveRoute(rc, null)).toList();
        guards.sync(new RoutingSnapshot(config, live), Map.of());
        return guards;
    }

    private void advanceMillis(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void waitsUntilTheRouteIsDueAgain() {
        GuardService g = withRoutes(TestConfigs.route("shop", 9001, 9002, "50%", "guard { evaluate-every = 1s }"));
        assertThat(g.tick()).as("evaluated now, due in 1 s").isEqualTo(1000);
        advanceMillis(300);
        assertThat(g.tick()).as("not due: sleep the rest").isEqualTo(700);
        advanceMillis(700);
        assertThat(g.tick()).as("due again").isEqualTo(1000);
    }

    @Test
    void theEarliestRouteSetsTheWaitAndShortWaitsStopAtTheTick() {
        GuardService g = withRoutes(
                TestConfigs.route("slow", 9001, 9002, "50%", "guard { evaluate-every = 5s, window = 30s }"),
                TestConfigs.route("fast", 9003, 9004, "50%", "guard { evaluate-every = 250ms }"));
        assertThat(g.tick()).isEqualTo(250);
        advanceMillis(200);
        assertThat(g.tick()).as("50 ms left, but never under the tick").isEqualTo(GuardService.TICK_MILLIS);
    }

    @Test
    void withoutGuardsTheTimerStillWakesForBreakerLogsAndReloads() {
        GuardService g = withRoutes(TestConfigs.route("shop", 9001, 9002, "50%", "guard { enabled = false }"));
        assertThat(g.tick()).isEqualTo(GuardService.MAX_TICK_MILLIS);
    }
}
