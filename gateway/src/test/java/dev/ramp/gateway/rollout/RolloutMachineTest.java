package dev.ramp.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.rollout.Transition.Change;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rollout state machine, driven by a fake clock (plain instants): every transition and its guards. */
class RolloutMachineTest {
    static final String URL = "http://127.0.0.1:9002";
    static final String V = "v1.5.0";
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final Duration EVERY = Duration.ofMinutes(15);
    static final Plan PLAN = new Plan(List.of(100, 500, 2500, 5000, 10_000), EVERY, 500, List.of(),
            Duration.ofMinutes(30));
    static final Plan GATED = new Plan(PLAN.steps(), EVERY, 500, List.of("http://gate/ok"), Duration.ofMinutes(30));

    private static Progress at(int weight, RolloutState state) {
        return new Progress(state, weight, T0, 0, null, URL, V);
    }

    @Test
    void exponentialStepsDoubleUpToAHundredPercentAndStopThere() {
        assertThat(Plan.exponential(100, 2)).containsExactly(100, 200, 400, 800, 1600, 3200, 6400, 10_000);
        assertThat(Plan.exponential(100, 10)).containsExactly(100, 1000, 10_000);
        assertThat(Plan.exponential(3000, 3)).containsExactly(3000, 9000, 10_000);
        assertThat(Plan.exponential(10_000, 2)).containsExactly(10_000);
    }

    @Test
    void exponentialStepsRiseByAtLeastOneBasisPointEvenWhenRoundingWouldRepeat() {
        List<Integer> steps = Plan.exponential(1, 1.1);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i)).isGreaterThan(steps.get(i - 1));
        }
        assertThat(steps.get(steps.size() - 1)).isEqualTo(10_000);
        assertThat(steps.subList(0, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void durationsReadAsTheConfigWritesThem() {
        assertThat(RolloutMachine.duration(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(RolloutMachine.duration(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(RolloutMachine.duration(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void aPlanMustRiseAndEndAtAHundredPercent() {
        assertThatThrownBy(() -> new Plan(List.of(500, 100, 10_000), EVERY, 0, List.of(), EVERY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Plan(List.of(100, 5000), EVERY, 0, List.of(), EVERY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStepOfAWeightIsHowManyStepsAreAtOrBelowIt() {
        assertThat(PLAN.stepOf(0)).isZero();
        assertThat(PLAN.stepOf(100)).isEqualTo(1);
        assertThat(PLAN.stepOf(1000)).isEqualTo(2);
        assertThat(PLAN.stepOf(10_000)).isEqualTo(5);
        assertThat(PLAN.nextAbove(0)).isEqualTo(100);
        assertThat(PLAN.nextAbove(1000)).isEqualTo(2500);
        assertThat(PLAN.nextAbove(10_000)).isEqualTo(-1);
    }

    @Test
    void atZeroPercentNothingIsExposedSoTheFirstStepIsTakenAtOnce() {
        Transition t = RolloutMachine.tick(PLAN, RolloutMachine.start(0, URL, V, T0), 0, Health.INSUFFICIENT_DATA, T0);
        assertThat(t.change()).isEqualTo(Change.STEPPED);
        assertThat(t.progress().weight()).isEqualTo(100);
        assertThat(t.progress().stepStartedAt()).isEqualTo(T0);
    }

    @Test
    void aStepHoldsForStepEveryThenForMinRequestsThenForAHealthyGuard() {
        Progress p = at(100, RolloutState.PROGRESSING);
        Transition early = RolloutMachine.tick(PLAN, p, 10_000, Health.HEALTHY, T0.plus(EVERY).minusMillis(1));
        assertThat(early.change()).isEqualTo(Change.NONE);
        assertThat(early.progress().reason()).startsWith("on 1% until 2026-12-02T10:15:00Z");

        Transition few = RolloutMachine.tick(PLAN, p, 499, Health.HEALTHY, T0.plus(EVERY));
        assertThat(few.change()).isEqualTo(Change.NONE);
        assertThat(few.progress().reason()).isEqualTo("499 of 500 canary requests on this step");
        assertThat(few.progress().requests()).isEqualTo(499);

        Transition thin = RolloutMachine.tick(PLAN, p, 500, Health.INSUFFICIENT_DATA, T0.plus(EVERY));
        assertThat(thin.change()).isEqualTo(Change.NONE);
        assertThat(thin.progress().reason()).isEqualTo("guard: insufficient data");

        Transition bad = RolloutMachine.tick(PLAN, p, 500, Health.BREACHING, T0.plus(EVERY));
        assertThat(bad.change()).isEqualTo(Change.NONE);
        assertThat(bad.progress().reason()).isEqualTo("guard: breaching");

        Transition ok = RolloutMachine.tick(PLAN, p, 500, Health.HEALTHY, T0.plus(EVERY));
        assertThat(ok.change()).isEqualTo(Change.STEPPED);
        assertThat(ok.progress().weight()).isEqualTo(500);
        assertThat(ok.progress().requests()).isZero();
        assertThat(ok.progress().stepStartedAt()).isEqualTo(T0.plus(EVERY));
        assertThat(ok.progress().reason()).isNull();
    }

    @Test
    void aDisabledGuardLeavesTimeAndRequestsToDecide() {
        Transition t = RolloutMachine.tick(PLAN, at(100, RolloutState.PROGRESSING), 500, Health.UNGUARDED, T0.plus(EVERY));
        assertThat(t.change()).isEqualTo(Change.STEPPED);
    }

    @Test
    void atAHundredPercentAndHealthyForPromoteAfterThePlanIsReadyToPromote() {
        Progress full = at(10_000, RolloutState.PROGRESSING);
        Transition early = RolloutMachine.tick(PLAN, full, 10_000, Health.HEALTHY, T0.plus(Duration.ofMinutes(29)));
        assertThat(early.change()).isEqualTo(Change.NONE);
        assertThat(early.progress().reason()).contains("then ready to promote");
        assertThat(RolloutMachine.nextStepAt(PLAN, full)).isEqualTo(T0.plus(Duration.ofMinutes(30)));

        Transition ready = RolloutMachine.tick(PLAN, full, 10_000, Health.HEALTHY, T0.plus(Duration.ofMinutes(30)));
        assertThat(ready.change()).isEqualTo(Change.READY);
        assertThat(ready.progress().state()).isEqualTo(RolloutState.READY_TO_PROMOTE);
        assertThat(ready.progress().reason()).isEqualTo("at 100% and healthy for 30m");
        assertThat(ready.progress().effectiveWeight()).isEqualTo(10_000);
        assertThat(RolloutMachine.nextStepAt(PLAN, ready.progress())).isNull();
        // and it stays there
        assertThat(RolloutMachine.tick(PLAN, ready.progress(), 0, Health.HEALTHY, T0.plus(Duration.ofDays(1))).change())
                .isEqualTo(Change.NONE);
    }

    @Test
    void gatesAreAskedWhenTheStepIsDueAndAllMustPass() {
        Progress p = at(100, RolloutState.PROGRESSING);
        Transition ask = RolloutMachine.tick(GATED, p, 500, Health.HEALTHY, T0.plus(EVERY));
        assertThat(ask.change()).isEqualTo(Change.ASK_GATES);
        assertThat(ask.progress().state()).isEqualTo(RolloutState.WAITING_GATE);
        assertThat(ask.progress().weight()).isEqualTo(100);

        Instant answered = T0.plus(EVERY).plusSeconds(3);
        Transition held = RolloutMachine.gatesAnswered(GATED, ask.progress(), List.of(
                new GateAnswer("http://gate/ok", true, "200"), new GateAnswer("http://gate/load", false, "503")), answered);
        assertThat(held.change()).isEqualTo(Change.GATE_HELD);
        assertThat(held.progress().state()).isEqualTo(RolloutState.WAITING_GATE);
        assertThat(held.progress().weight()).isEqualTo(100);
        assertThat(held.progress().reason()).isEqualTo("gate http://gate/load held the step: 503");

        Transition slow = RolloutMachine.gatesAnswered(GATED, held.progress(), List.of(
                new GateAnswer("http://gate/ok", false, "timed out after 10000ms")), answered);
        assertThat(slow.change()).isEqualTo(Change.GATE_HELD);
        assertThat(slow.progress().reason()).endsWith("timed out after 10000ms");

        Transition pass = RolloutMachine.gatesAnswered(GATED, held.progress(), List.of(
                new GateAnswer("http://gate/ok", true, "204")), answered);
        assertThat(pass.change()).isEqualTo(Change.STEPPED);
        assertThat(pass.progress().weight()).isEqualTo(500);
        assertThat(pass.progress().stepStartedAt()).isEqualTo(answered);
    }

    @Test
    void aGateAnswerThatArrivesAfterAPauseIsIgnored() {
        Progress waiting = at(100, RolloutState.WAITING_GATE);
        Progress paused = RolloutMachine.pause(waiting).progress();
        Transition late = RolloutMachine.gatesAnswered(GATED, paused, List.of(new GateAnswer("g", true, "200")), T0);
        assertThat(late.change()).isEqualTo(Change.NONE);
        assertThat(late.progress().weight()).isEqualTo(100);
        assertThat(late.progress().state()).isEqualTo(RolloutState.PAUSED);
    }

    @Test
    void aBreachWhileWaitingForGatesGoesBackToProgressing() {
        Transition t = RolloutMachine.tick(GATED, at(100, RolloutState.WAITING_GATE), 600, Health.BREACHING, T0);
        assertThat(t.progress().state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(t.progress().reason()).isEqualTo("guard: breaching");
    }

    @Test
    void aRevertAbortsFromEveryStateAndTheCanaryGetsNothing() {
        for (RolloutState s : List.of(RolloutState.PROGRESSING, RolloutState.PAUSED, RolloutState.WAITING_GATE,
                RolloutState.READY_TO_PROMOTE)) {
            Transition t = RolloutMachine.tick(PLAN, at(2500, s), 0, Health.REVERTED, T0);
            assertThat(t.change()).as(s.tag()).isEqualTo(Change.ABORTED);
            assertThat(t.progress().state()).isEqualTo(RolloutState.ABORTED);
            assertThat(t.progress().weight()).as("the step it was aborted on is kept").isEqualTo(2500);
            assertThat(t.progress().effectiveWeight()).isZero();
        }
        Progress aborted = at(2500, RolloutState.ABORTED);
        assertThat(RolloutMachine.tick(PLAN, aborted, 0, Health.REVERTED, T0).change()).isEqualTo(Change.NONE);
        assertThat(RolloutMachine.tick(PLAN, aborted, 9999, Health.HEALTHY, T0.plus(Duration.ofDays(1))).progress()
                .state()).isEqualTo(RolloutState.ABORTED);
    }

    @Test
    void pauseHoldsTheStepAndContinueGoesOnWithTheTimeAlreadySpent() {
        Progress p = at(100, RolloutState.PROGRESSING);
        Transition paused = RolloutMachine.pause(p);
        assertThat(paused.change()).isEqualTo(Change.PAUSED);
        assertThat(RolloutMachine.pause(paused.progress()).change()).isEqualTo(Change.NONE);
        Transition stays = RolloutMachine.tick(PLAN, paused.progress(), 10_000, Health.HEALTHY, T0.plus(Duration.ofHours(5)));
        assertThat(stays.progress().state()).isEqualTo(RolloutState.PAUSED);
        assertThat(stays.progress().weight()).isEqualTo(100);
        assertThat(RolloutMachine.nextStepAt(PLAN, stays.progress())).isNull();

        Transition cont = RolloutMachine.resume(stays.progress());
        assertThat(cont.change()).isEqualTo(Change.CONTINUED);
        assertThat(cont.progress().stepStartedAt()).isEqualTo(T0);
        assertThat(RolloutMachine.tick(PLAN, cont.progress(), 10_000, Health.HEALTHY, T0.plus(Duration.ofHours(5)))
                .change()).isEqualTo(Change.STEPPED);
        assertThat(RolloutMachine.resume(p).change()).isEqualTo(Change.NONE);
    }

    @Test
    void nextStepsUpAtOnceAndAtTheLastStepMakesItReady() {
        Transition n = RolloutMachine.next(PLAN, at(100, RolloutState.PROGRESSING), T0.plusSeconds(1));
        assertThat(n.change()).isEqualTo(Change.STEPPED);
        assertThat(n.progress().weight()).isEqualTo(500);
        assertThat(n.progress().stepStartedAt()).isEqualTo(T0.plusSeconds(1));

        Transition whilePaused = RolloutMachine.next(PLAN, at(500, RolloutState.PAUSED), T0);
        assertThat(whilePaused.progress().weight()).isEqualTo(2500);
        assertThat(whilePaused.progress().state()).isEqualTo(RolloutState.PAUSED);

        Transition last = RolloutMachine.next(PLAN, at(10_000, RolloutState.PROGRESSING), T0);
        assertThat(last.change()).isEqualTo(Change.READY);
        assertThatThrownBy(() -> RolloutMachine.next(PLAN, last.progress(), T0)).isInstanceOf(RolloutConflict.class);
    }

    @Test
    void anAbortedPlanRefusesEveryCommandButAbort() {
        Progress aborted = RolloutMachine.abort(at(500, RolloutState.PROGRESSING), "aborted by an operator").progress();
        assertThat(aborted.reason()).isEqualTo("aborted by an operator");
        assertThatThrownBy(() -> RolloutMachine.resume(aborted)).isInstanceOf(RolloutConflict.class)
                .hasMessageContaining("new canary");
        assertThatThrownBy(() -> RolloutMachine.pause(aborted)).isInstanceOf(RolloutConflict.class);
        assertThatThrownBy(() -> RolloutMachine.next(PLAN, aborted, T0)).isInstanceOf(RolloutConflict.class);
        assertThat(RolloutMachine.abort(aborted, "again").change()).isEqualTo(Change.NONE);
    }

    @Test
    void aRestartOfTheSameCanaryGoesOnInEveryState() {
        for (RolloutState s : RolloutState.values()) {
            Progress saved = new Progress(s, 2500, T0, 321, "why", URL, V);
            Transition t = RolloutMachine.reconcile(saved, 0, URL, V, T0.plus(Duration.ofHours(1)));
            assertThat(t.change()).as(s.tag()).isEqualTo(Change.NONE);
            assertThat(t.progress()).isEqualTo(saved);
        }
    }

    @Test
    void aNewCanaryStartsThePlanAgainFromItsStartWeight() {
        Progress aborted = new Progress(RolloutState.ABORTED, 2500, T0, 3, "reverted", URL, V);
        Instant later = T0.plus(Duration.ofHours(1));
        Transition byVersion = RolloutMachine.reconcile(aborted, 0, URL, "v1.5.1", later);
        assertThat(byVersion.change()).isEqualTo(Change.STARTED);
        assertThat(byVersion.progress()).isEqualTo(new Progress(RolloutState.PROGRESSING, 0, later, 0, null, URL, "v1.5.1"));
        Transition byUrl = RolloutMachine.reconcile(aborted, 0, "http://10.0.0.9:9002", V, later);
        assertThat(byUrl.change()).isEqualTo(Change.STARTED);
        assertThat(RolloutMachine.reconcile(null, 100, URL, V, later).progress().weight()).isEqualTo(100);
    }

    @Test
    void anEditedPlanKeepsItsWeightAndReDerivesItsStep() {
        // On 25% of 1-5-25-50-100; the plan is edited to 10-20-40-80-100: 25% is now between steps 2 and 3.
        Plan edited = new Plan(List.of(1000, 2000, 4000, 8000, 10_000), EVERY, 500, List.of(), Duration.ofMinutes(30));
        Progress p = at(2500, RolloutState.PROGRESSING);
        Transition kept = RolloutMachine.reconcile(p, 0, URL, V, T0.plusSeconds(5));
        assertThat(kept.progress().weight()).as("nobody moves back or forward on an edit").isEqualTo(2500);
        assertThat(edited.stepOf(kept.progress().weight())).isEqualTo(2);
        Transition up = RolloutMachine.tick(edited, kept.progress(), 500, Health.HEALTHY, T0.plus(EVERY));
        assertThat(up.progress().weight()).as("the next step up is the first new step above it").isEqualTo(4000);
        // An edited plan whose steps are all below the weight goes to 100% next.
        Plan small = new Plan(List.of(100, 10_000), EVERY, 0, List.of(), EVERY);
        assertThat(RolloutMachine.tick(small, p, 0, Health.HEALTHY, T0.plus(EVERY)).progress().weight()).isEqualTo(10_000);
    }

    @Test
    void whateverHappensTheWeightNeverGoesDown() {
        Random random = new Random(24);
        for (int run = 0; run < 200; run++) {
            Plan plan = random.nextBoolean() ? PLAN : new Plan(Plan.exponential(1 + random.nextInt(500), 1.5 + random.nextInt(4)),
                    Duration.ofSeconds(1 + random.nextInt(60)), random.nextInt(50), random.nextBoolean() ? List.of() : List.of("g"),
                    Duration.ofSeconds(random.nextInt(60)));
            Instant now = T0;
            Progress p = RolloutMachine.start(random.nextInt(3) * 50, URL, V, now);
            List<Integer> weights = new ArrayList<>();
            for (int i = 0; i < 300 && p.state() != RolloutState.ABORTED; i++) {
                now = now.plusMillis(random.nextInt(20_000));
                int input = random.nextInt(100);
                try {
                    Transition t;
                    if (input < 70) {
                        Health h = Health.values()[random.nextInt(Health.REVERTED.ordinal() + (random.nextInt(50) == 0 ? 1 : 0))];
                        t = RolloutMachine.tick(plan, p, p.requests() + random.nextInt(30), h, now);
                    } else if (input < 80) {
                        t = RolloutMachine.gatesAnswered(plan, p, List.of(new GateAnswer("g", random.nextBoolean(), "x")), now);
                    } else if (input < 85) {
                        t = RolloutMachine.pause(p);
                    } else if (input < 92) {
                        t = RolloutMachine.resume(p);
                    } else if (input < 99) {
                        t = RolloutMachine.next(plan, p, now);
                    } else {
                        t = RolloutMachine.abort(p, "operator");
                    }
                    if (t.change() == Change.STEPPED) {
                        assertThat(t.progress().weight()).isGreaterThan(p.weight());
                        assertThat(plan.steps()).contains(t.progress().weight());
                    }
                    p = t.progress();
                } catch (RolloutConflict expected) {
                    assertThat(p.state()).isIn(RolloutState.READY_TO_PROMOTE, RolloutState.ABORTED);
                }
                weights.add(p.effectiveWeight());
            }
            for (int i = 1; i < weights.size(); i++) {
                if (p.state() != RolloutState.ABORTED || i < weights.size() - 1) {
                    assertThat(weights.get(i)).as("run %d look %d", run, i).isGreaterThanOrEqualTo(weights.get(i - 1));
                }
            }
        }
    }

    @Test
    void aMirrorGatedPlanAsksBeforeItsFirstStepOnlyAndAHeldVerdictKeepsItAtZero() {
        Plan mirrored = new Plan(PLAN.steps(), EVERY, 500, List.of(), Duration.ofMinutes(30), true);
        assertThat(mirrored.gatesBefore(0)).isEqualTo(1);
        assertThat(mirrored.gatesBefore(100)).isZero();
        Transition ask = RolloutMachine.tick(mirrored, at(0, RolloutState.PROGRESSING), 0, Health.HEALTHY, T0);
        assertThat(ask.change()).isEqualTo(Transition.Change.ASK_GATES);
        assertThat(ask.progress().reason()).isEqualTo("asking 1 gate(s) before stepping up to 1%");
        Transition held = RolloutMachine.gatesAnswered(mirrored, ask.progress(),
                List.of(new GateAnswer("mirror", false, "fail: 9 of 100 copies differed")), T0);
        assertThat(held.progress().weight()).isZero();
        assertThat(held.progress().state()).isEqualTo(RolloutState.WAITING_GATE);
        assertThat(held.progress().reason()).isEqualTo("gate mirror held the step: fail: 9 of 100 copies differed");
        Transition stepped = RolloutMachine.gatesAnswered(mirrored, held.progress(),
                List.of(new GateAnswer("mirror", true, "pass")), T0);
        assertThat(stepped.progress().weight()).isEqualTo(100);
        // From the first step on, the verdict is not asked: no URL gates, so the plan steps by itself.
        Transition next = RolloutMachine.tick(mirrored, stepped.progress(), 500, Health.HEALTHY, T0.plus(EVERY));
        assertThat(next.change()).isEqualTo(Transition.Change.STEPPED);
        assertThat(next.progress().weight()).isEqualTo(500);
    }
}
