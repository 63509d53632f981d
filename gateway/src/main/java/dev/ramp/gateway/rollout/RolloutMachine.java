package dev.ramp.gateway.rollout;

import dev.ramp.gateway.rollout.Transition.Change;
import java.time.Instant;
import java.util.List;

/**
 * The rollout state machine as pure functions of a {@link Plan}, a {@link Progress} and the inputs (the time,
 * the canary requests counted on the step, the guard's {@link Health}, the gates' answers, an operator's
 * command). No clock, thread or I/O: the caller passes the time and performs what the {@link Transition}
 * says.
 *
 * <p>Invariants: the weight only goes up (a plan never moves a user back to stable, by the bucket rule);
 * a revert aborts from any state; an aborted plan stays aborted until a new canary starts a new plan
 * ({@link #reconcile}); a restart or a config edit of the same canary keeps the weight, so the step is
 * re-derived from it ({@link Plan#stepOf}) and the next step up goes to the first step of the plan above it.
 *
 * <p>A step up needs, on a weight above 0 %: {@code step-every} on the step, {@code min-requests} canary
 * requests on it and a guard that is healthy (or disabled); then every gate's 2xx (and, for the first step of
 * a plan with a mirror gate, a passing dark-launch verdict, asked as one more gate). At 0 % nothing is exposed,
 * so only the gates are asked. At 100 % the same conditions with {@code promote-after} make it ready to
 * promote.
 */
public final class RolloutMachine {

    private RolloutMachine() {}

    /** A new plan for a canary: progressing on the route's configured (start) weight from {@code now}. */
    public static Progress start(int startWeight, String canaryUrl, String canaryVersion, Instant now) {
        return new Progress(RolloutState.PROGRESSING, startWeight, now, 0, null, canaryUrl, canaryVersion);
    }

    /**
     * The progress to go on with when a plan is (re)loaded: at start-up from the saved progress, or after a
     * config edit from the current one. A new canary (url or version) starts the plan again from its start
     * weight; otherwise the saved progress holds as it is (same weight, state, step start and count).
     *
     * @param saved the saved or current progress; null when there is none
     */
    public static Transition reconcile(Progress saved, int startWeight, String canaryUrl, String canaryVersion,
                                       Instant now) {
        if (saved == null || !saved.sameCanary(canaryUrl, canaryVersion)) {
            return new Transition(start(startWeight, canaryUrl, canaryVersion, now), Change.STARTED);
        }
        return Transition.none(saved);
    }

    /**
     * One look at the plan (every guard tick).
     *
     * @param requests canary requests counted on the step so far
     */
    public static Transition tick(Plan plan, Progress p, long requests, Health health, Instant now) {
        Progress counted = p.withRequests(requests);
        if (health == Health.REVERTED && p.state() != RolloutState.ABORTED) {
            return new Transition(counted.with(RolloutState.ABORTED, "reverted: the canary was taken out of traffic"),
                    Change.ABORTED);
        }
        switch (p.state()) {
            case WAITING_GATE:
                if (health == Health.BREACHING) {
                    return Transition.none(counted.with(RolloutState.PROGRESSING, "guard: breaching"));
                }
                return Transition.none(counted);
            case PROGRESSING:
                break;
            default:
                return Transition.none(counted);
        }
        String hold = holdReason(plan, counted, health, now);
        if (hold != null) {
            return Transition.none(counted.with(RolloutState.PROGRESSING, hold));
        }
        int next = plan.nextAbove(p.weight());
        if (next < 0) {
            return new Transition(counted.with(RolloutState.READY_TO_PROMOTE, "at 100% and healthy for "
                    + duration(plan.promoteAfter())), Change.READY);
        }
        int gates = plan.gatesBefore(p.weight());
        if (gates == 0) {
            return new Transition(counted.steppedTo(next, RolloutState.PROGRESSING, now, null), Change.STEPPED);
        }
        return new Transition(counted.with(RolloutState.WAITING_GATE, "asking " + gates
                + " gate(s) before stepping up to " + percent(next)), Change.ASK_GATES);
    }

    /** Why a progressing plan stays on its step now; null when it may step up (or promote). */
    static String holdReason(Plan plan, Progress p, Health health, Instant now) {
        if (p.weight() == 0) {
            return null; // nothing exposed at 0 %: nothing to wait for or judge
        }
        boolean full = p.weight() >= Plan.FULL;
        Instant due = p.stepStartedAt().plus(full ? plan.promoteAfter() : plan.stepEvery());
        if (now.isBefore(due)) {
            return full ? "at 100% until " + due + ", then ready to promote" : "on " + percent(p.weight()) + " until " + due;
        }
        if (p.requests() < plan.minRequests()) {
            return p.requests() + " of " + plan.minRequests() + " canary requests on this step";
        }
        if (health == Health.INSUFFICIENT_DATA) {
            return "guard: insufficient data";
        }
        if (health == Health.BREACHING) {
            return "guard: breaching";
        }
        return null;
    }

    /** The gates answered: all 2xx steps up; any other answer holds, naming the first gate that held. */
    public static Transition gatesAnswered(Plan plan, Progress p, List<GateAnswer> answers, Instant now) {
        if (p.state() != RolloutState.WAITING_GATE) {
            return Transition.none(p); // paused, aborted or back to progressing while the gates were asked
        }
        for (GateAnswer a : answers) {
            if (!a.passed()) {
                return new Transition(p.with(RolloutState.WAITING_GATE, "gate " + a.url() + " held the step: "
                        + a.detail()), Change.GATE_HELD);
            }
        }
        int next = plan.nextAbove(p.weight());
        if (next < 0) {
            return Transition.none(p.with(RolloutState.PROGRESSING, null));
        }
        return new Transition(p.steppedTo(next, RolloutState.PROGRESSING, now, null), Change.STEPPED);
    }

    /** An operator pauses: the plan holds its step (and weight) until continued. */
    public static Transition pause(Progress p) {
        return switch (p.state()) {
            case PROGRESSING, WAITING_GATE -> new Transition(p.with(RolloutState.PAUSED, "paused by an operator"),
                    Change.PAUSED);
            case PAUSED -> Transition.none(p);
            case READY_TO_PROMOTE -> throw new RolloutConflict("the plan is ready to promote: nothing left to pause");
            case ABORTED -> throw aborted(p);
        };
    }

    /** An operator continues a paused plan; the time it spent paused counts as time on its step. */
    public static Transition resume(Progress p) {
        return switch (p.state()) {
            case PAUSED -> new Transition(p.with(RolloutState.PROGRESSING, null), Change.CONTINUED);
            case PROGRESSING, WAITING_GATE, READY_TO_PROMOTE -> Transition.none(p);
            case ABORTED -> throw aborted(p);
        };
    }

    /**
     * An operator steps up now, without waiting for time, requests, guard or gates; at 100 % that makes it
     * ready to promote. A paused plan steps and stays paused.
     */
    public static Transition next(Plan plan, Progress p, Instant now) {
        if (p.state() == RolloutState.ABORTED) {
            throw aborted(p);
        }
        if (p.state() == RolloutState.READY_TO_PROMOTE) {
            throw new RolloutConflict("the plan is ready to promote: there is no step after it");
        }
        int next = plan.nextAbove(p.weight());
        if (next < 0) {
            return new Transition(p.with(RolloutState.READY_TO_PROMOTE, "promoted by an operator"), Change.READY);
        }
        RolloutState s = p.state() == RolloutState.PAUSED ? RolloutState.PAUSED : RolloutState.PROGRESSING;
        return new Transition(p.steppedTo(next, s, now, "stepped up by an operator"), Change.STEPPED);
    }

    /** Aborts the plan (an operator, or a revert): the canary gets no traffic until a new canary is deployed. */
    public static Transition abort(Progress p, String reason) {
        if (p.state() == RolloutState.ABORTED) {
            return Transition.none(p);
        }
        return new Transition(p.with(RolloutState.ABORTED, reason), Change.ABORTED);
    }

    /**
     * The earliest time the plan may step up (or, at 100 %, become ready to promote); null when it is not
     * going anywhere by itself (paused, aborted, ready).
     */
    public static Instant nextStepAt(Plan plan, Progress p) {
        if (p.state() != RolloutState.PROGRESSING && p.state() != RolloutState.WAITING_GATE) {
            return null;
        }
        if (p.weight() == 0) {
            return p.stepStartedAt();
        }
        return p.stepStartedAt().plus(p.weight() >= Plan.FULL ? plan.promoteAfter() : plan.stepEvery());
    }

    private static RolloutConflict aborted(Progress p) {
        return new RolloutConflict("the plan is aborted (" + p.reason() + "): it starts again from its first step "
                + "when a new canary is deployed (change the canary's version or url in the config)");
    }

    /** A duration as the config writes it: {@code "1h30m"}, {@code "15m"}, {@code "500ms"}, {@code "0s"}. */
    public static String duration(java.time.Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        int ms = d.toMillisPart();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        if (ms > 0) {
            b.append(ms).append("ms");
        }
        return b.toString();
    }

    /** Basis points as the config writes them: {@code "12.5%"}. */
    public static String percent(int basisPoints) {
        return java.math.BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
