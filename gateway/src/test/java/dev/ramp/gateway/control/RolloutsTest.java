package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.admin.RolloutView;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.RolloutEvent;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.rollout.RolloutConflict;
import dev.ramp.gateway.routing.Version;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.state.RolloutFiles;
import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout driver inside the guard service, on an injected clock, with the real progress files: restarts in
 * every state go on exactly where they were, config edits mid-plan keep the weight, and the plan's weight is
 * what the route serves. Ticks are called directly (no timer); the guard is disabled so time and request
 * counts alone decide (the guard's verdicts are covered by RolloutIntegrationTest).
 */
class RolloutsTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final List<GuardService> services = new ArrayList<>();
    private final List<RampMetrics> metrics = new ArrayList<>();
    private EventLog events;
    private GuardService guards;
    private RoutingSnapshot snapshot;

    @AfterEach
    void close() {
        services.forEach(GuardService::close);
        metrics.forEach(RampMetrics::close);
    }

    private static String route(String rollout) {
        return TestConfigs.route("shop", 9001, 9002, "0%", "guard { enabled = false }\n" + rollout);
    }

    private static final String PLAN = "rollout { steps = [\"1%\", \"5%\", \"25%\", \"50%\", \"100%\"], step-every = 1m, "
            + "min-requests = 3, promote-after = 5m }";

    /** A fresh gateway process: new guard service, new route states, the same state dir. */
    private void start(String route) {
        RampMetrics m = RampMetrics.create();
        metrics.add(m);
        events = EventLog.of(100, clock);
        guards = new GuardService(new LatchStore(dir.resolve("state")), new RolloutFiles(dir.resolve("state")), null,
                m, events, System::nanoTime, clock);
        services.add(guards);
        snapshot = snapshot(route, Map.of());
        guards.sync(snapshot, Map.of());
    }

    private RoutingSnapshot snapshot(String route, Map<String, LiveRoute> previous) {
        GatewayConfig config = TestConfigs.load(dir, TestConfigs.gateway(dir, route, ""));
        List<LiveRoute> live = config.routes().stream().map(rc -> {
            LiveRoute old = previous.get(rc.name());
            return new LiveRoute(rc, null, old == null ? new RouteState() : old.state(),
                    guards.observerFor(rc.name()));
        }).toList();
        return new RoutingSnapshot(config, live);
    }

    /** A reload: the next snapshot keeps each route's state. */
    private void edit(String route) {
        Map<String, LiveRoute> previous = new HashMap<>();
        snapshot.routes().forEach(r -> previous.put(r.name(), r));
        RoutingSnapshot next = snapshot(route, previous);
        guards.sync(next, previous);
        snapshot = next;
    }

    private LiveRoute shop() {
        return snapshot.route("shop");
    }

    private RolloutView view() {
        return guards.rollout(shop());
    }

    private void canaryRequests(int n) {
        for (int i = 0; i < n; i++) {
            shop().observer().onAttempt(Version.CANARY, Outcome.SUCCESS_2XX, 1_000_000);
        }
    }

    private void tickAfter(Duration d) {
        clock.advance(d);
        guards.rolloutTick();
    }

    private boolean command(String c) throws Exception {
        try {
            return guards.rollout("shop", c).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private void flush() throws Exception {
        // Progress writes are queued on the guard thread: a command's answer waits for them.
        guards.rollout("shop", "continue").toCompletionStage().toCompletableFuture().handle((v, e) -> null)
                .get(5, TimeUnit.SECONDS);
    }

    /** Drives a plan to 25% (step 3): 0% -> 1% at once, then two steps of a minute with 3 requests each. */
    private void toTwentyFivePercent() {
        tickAfter(Duration.ZERO);
        for (int i = 0; i < 2; i++) {
            canaryRequests(3);
            tickAfter(Duration.ofMinutes(1));
        }
        assertThat(view().weight()).isEqualTo("25%");
    }

    @Test
    void thePlansWeightIsWhatTheRouteServesAndStepsWaitForTimeAndRequests() {
        start(route(PLAN));
        assertThat(view().state()).isEqualTo("progressing");
        assertThat(view().step()).isZero();
        tickAfter(Duration.ZERO);
        assertThat(shop().effectiveWeightBasisPoints()).isEqualTo(100);
        assertThat(view().nextStepAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));

        canaryRequests(2);
        tickAfter(Duration.ofMinutes(1));
        assertThat(view().reason()).isEqualTo("2 of 3 canary requests on this step");
        assertThat(shop().effectiveWeightBasisPoints()).isEqualTo(100);
        canaryRequests(1);
        tickAfter(Duration.ofSeconds(1));
        assertThat(shop().effectiveWeightBasisPoints()).isEqualTo(500);
        assertThat(view().requests()).as("counted afresh on the new step").isZero();
        assertThat(events.recent()).filteredOn(e -> e instanceof RolloutEvent.Stepped).first()
                .satisfies(e -> assertThat(((RolloutEvent.Stepped) e).requests()).isEqualTo(3));
    }

    @Test
    void aRestartGoesOnInEveryStateWithTheSameStepStartAndCount() throws Exception {
        start(route(PLAN));
        toTwentyFivePercent();
        Instant stepStarted = view().stepStartedAt();
        canaryRequests(2);
        command("pause"); // saves the count of 2 with the pause
        assertThat(shop().effectiveWeightBasisPoints()).isEqualTo(2500);

        start(route(PLAN)); // a restart while paused
        assertThat(view().state()).isEqualTo("paused");
        assertThat(view().weight()).isEqualTo("25%");
        assertThat(view().stepStartedAt()).isEqualTo(stepStarted);
        assertThat(view().requests()).isEqualTo(2);
        assertThat(shop().effectiveWeightBasisPoints()).as("served before any tick").isEqualTo(2500);

        command("continue");
        start(route(PLAN)); // a restart while progressing
        assertThat(view().state()).isEqualTo("progressing");
        tickAfter(Duration.ofMinutes(1));
        assertThat(view().reason()).isEqualTo("2 of 3 canary requests on this step");
        canaryRequests(1);
        tickAfter(Duration.ZERO);
        assertThat(view().weight()).as("stepped on the requests counted before the restart").isEqualTo("50%");

        command("next");
        command("next"); // at 100%: ready to promote
        start(route(PLAN));
        assertThat(view().state()).isEqualTo("ready_to_promote");
        assertThat(view().promote()).contains("set stable { url = \"http://127.0.0.1:9002\", version = \"v2\" }");

        command("abort");
        start(route(PLAN));
        assertThat(view().state()).isEqualTo("aborted");
        assertThat(shop().effectiveWeightBasisPoints()).isZero();
        assertThat(view().step()).as("where it stopped").isEqualTo(5);
        assertThat(events.recent()).as("a restart starts nothing").noneMatch(e -> e instanceof RolloutEvent.Started);
    }

    @Test
    void aRestartWhileWaitingForGatesAsksThemAgain() throws Exception {
        // No HTTP client in this service: every gate holds, which is enough to reach waiting_gate.
        String gated = route("rollout { steps = [\"10%\", \"100%\"], step-every = 1m, min-requests = 0, "
                + "gates = [\"http://127.0.0.1:1/confirm\"] }");
        start(gated);
        tickAfter(Duration.ZERO);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> view().reason() != null
                && view().reason().startsWith("gate http://127.0.0.1:1/confirm held the step"));
        assertThat(view().state()).isEqualTo("waiting_gate");
        assertThat(shop().effectiveWeightBasisPoints()).isZero();
        flush();

        start(gated);
        assertThat(view().state()).isEqualTo("waiting_gate");
        tickAfter(Duration.ZERO);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                events.recent().stream().anyMatch(e -> e instanceof RolloutEvent.GateHeld));
        assertThat(view().weight()).isEqualTo("0%");
    }

    @Test
    void anEditOfThePlanKeepsTheWeightAndTheNextStepIsTheFirstNewOneAboveIt() {
        start(route(PLAN));
        toTwentyFivePercent();
        edit(route("rollout { steps = [\"10%\", \"20%\", \"40%\", \"80%\", \"100%\"], step-every = 2m, min-requests = 3 }"));
        assertThat(view().weight()).isEqualTo("25%");
        assertThat(view().step()).isEqualTo(2);
        assertThat(view().steps()).containsExactly("10%", "20%", "40%", "80%", "100%");
        canaryRequests(3);
        tickAfter(Duration.ofMinutes(1));
        assertThat(view().weight()).as("the new step-every counts from the step's start").isEqualTo("25%");
        tickAfter(Duration.ofMinutes(1));
        assertThat(view().weight()).isEqualTo("40%");
    }

    @Test
    void aNewCanaryStartsAgainAndRemovingTheBlockGivesTheWeightBack() throws Exception {
        start(route(PLAN));
        toTwentyFivePercent();
        command("abort");
        edit(route(PLAN).replace("version = \"v2\"", "version = \"v3\""));
        assertThat(view().state()).isEqualTo("progressing");
        assertThat(view().weight()).isEqualTo("0%");
        assertThat(events.recent()).first().isInstanceOfSatisfying(RolloutEvent.Started.class,
                s -> assertThat(s.newCanary()).isTrue());

        edit(TestConfigs.route("shop", 9001, 9002, "5%", "guard { enabled = false }").replace("version = \"v2\"",
                "version = \"v3\""));
        assertThat(view()).isNull();
        assertThat(shop().state().planWeight()).isEqualTo(RouteState.NO_PLAN);
        assertThat(shop().effectiveWeightBasisPoints()).isEqualTo(500);
        assertThatThrownBy(() -> command("pause")).isInstanceOf(RolloutConflict.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                !Files.exists(dir.resolve("state").resolve("rollouts").resolve("shop.json")));
    }

    @Test
    void aRevertAbortsOnTheNextTick() {
        start(route(PLAN));
        toTwentyFivePercent();
        shop().state().revert();
        tickAfter(Duration.ofMillis(1));
        assertThat(view().state()).isEqualTo("aborted");
        assertThat(view().reason()).startsWith("reverted");
        shop().state().resume();
        assertThat(shop().effectiveWeightBasisPoints()).as("a resume does not restart the plan").isZero();
    }

    @Test
    void anUnreadableProgressFileAbortsThePlan() throws Exception {
        Path file = dir.resolve("state").resolve("rollouts").resolve("shop.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{ not json");
        start(route(PLAN));
        assertThat(view().state()).isEqualTo("aborted");
        assertThat(view().reason()).contains("is unreadable").contains("delete it and restart");
        assertThat(shop().effectiveWeightBasisPoints()).isZero();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
