package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.admin.RolloutView;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.RolloutEvent;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.mirror.MirrorResult;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.state.RolloutFiles;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout plan gated on the dark-launch verdict ({@code rollout.mirror-gate}), driven on an injected clock
 * with ticks called directly: the plan holds at 0 % in waiting_gate while the verdict lacks data or fails,
 * re-asks after the gate retry, takes its first step once the verdict passes, and later steps ignore it. The
 * copies' results are recorded straight into the route's stats (the data path's side is covered by
 * MirrorGateIntegrationTest).
 */
class MirrorGateTest {
    @TempDir
    Path dir;

    private final RolloutsTest.MutableClock clock = new RolloutsTest.MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private RampMetrics metrics;
    private EventLog events;
    private GuardService guards;
    private RoutingSnapshot snapshot;

    @AfterEach
    void close() {
        guards.close();
        metrics.close();
    }

    private void start(String routeExtra) {
        metrics = RampMetrics.create();
        events = EventLog.of(100, clock);
        guards = new GuardService(new LatchStore(dir.resolve("state")), new RolloutFiles(dir.resolve("state")), null,
                metrics, events, System::nanoTime, clock);
        GatewayConfig config = TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop", 9001, 9002,
                "0%", "guard { enabled = false }\n" + routeExtra), ""));
        List<LiveRoute> live = config.routes().stream().map(rc -> new LiveRoute(rc, null, new RouteState(),
                guards.observerFor(rc.name()))).toList();
        snapshot = new RoutingSnapshot(config, live);
        mirror().use(config.routes().get(0).mirror().verdict().window(), "canary v2");
        guards.sync(snapshot, Map.of());
    }

    private MirrorStats mirror() {
        return snapshot.route("shop").mirror();
    }

    private RolloutView view() {
        return guards.rollout(snapshot.route("shop"));
    }

    private void copies(int n, MirrorResult result) {
        for (int i = 0; i < n; i++) {
            mirror().tryStart(Integer.MAX_VALUE);
            mirror().finished(result, null, 2_000_000, 2_000_000);
        }
    }

    private void tickAfter(Duration d) {
        clock.advance(d);
        guards.rolloutTick();
    }

    /** The gates' answers come back on the guard thread: waits for the plan's reason to say so. */
    private void awaitReason(Predicate<String> p) {
        await().atMost(Duration.ofSeconds(5)).until(() -> view().reason() != null && p.test(view().reason()));
    }

    @Test
    void theFirstStepWaitsForAPassingVerdictAndLaterStepsDoNot() {
        start("mirror { percent = \"100%\", verdict { min-compared = 10 } }\n"
              + "rollout { steps = [\"10%\", \"100%\"], step-every = 1m, min-requests = 0, promote-after = 1h, "
              + "mirror-gate = true }");
        tickAfter(Duration.ZERO);
        awaitReason(r -> r.startsWith("gate mirror held the step"));
        assertThat(view().state()).isEqualTo("waiting_gate");
        assertThat(view().reason()).isEqualTo("gate mirror held the step: insufficient_data: 0 of 10 copies compared"
                + " in the last 5m");
        assertThat(snapshot.route("shop").effectiveWeightBasisPoints()).isZero();

        copies(10, MirrorResult.BODY_DIFF);
        tickAfter(Duration.ofSeconds(30)); // the gates' retry: min(step-every, 30s)
        awaitReason(r -> r.contains("fail"));
        assertThat(view().reason()).isEqualTo("gate mirror held the step: fail: 10 of 10 copies differed or failed"
                + " in the last 5m (100%, max 1%)");
        assertThat(view().weight()).isEqualTo("0%");
        assertThat(events.recent()).filteredOn(e -> e instanceof RolloutEvent.GateHeld).first()
                .satisfies(e -> assertThat(((RolloutEvent.GateHeld) e).gate()).isEqualTo("mirror"));

        copies(990, MirrorResult.MATCH); // 10 of 1000: 1%, at the limit
        tickAfter(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> "10%".equals(view().weight()));
        assertThat(view().state()).isEqualTo("progressing");
        assertThat(snapshot.route("shop").effectiveWeightBasisPoints()).isEqualTo(1000);

        copies(100, MirrorResult.STATUS_DIFF); // the verdict fails again, but only the first step is gated
        tickAfter(Duration.ofMinutes(1));
        assertThat(view().weight()).isEqualTo("100%");
    }

    @Test
    void withoutTheGateAPlanStepsWhateverTheVerdict() {
        start("mirror { percent = \"100%\" }\nrollout { steps = [\"10%\", \"100%\"], step-every = 1m, "
              + "min-requests = 0 }");
        copies(100, MirrorResult.BODY_DIFF);
        tickAfter(Duration.ZERO);
        assertThat(view().weight()).isEqualTo("10%");
    }
}
