package dev.ramp.gateway.control;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.RolloutSettings;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.guard.RouteGuard;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.rollout.Health;
import dev.ramp.gateway.rollout.Plan;
import dev.ramp.gateway.rollout.Progress;
import java.time.Instant;
import java.util.List;

/**
 * One route's rollout plan as {@link Rollouts} runs it: its config, the plan, the progress reached, and the
 * bookkeeping around them (the canary-attempt counter's base, gate rounds, when it was last saved). Fields
 * change under the {@link Rollouts} lock; the status reads the volatile ones without it.
 */
final class RoutePlan {
    final String route;
    volatile RouteConfig config;
    volatile Plan plan;
    volatile Progress progress;
    RouteState state;
    /** The route's dark-launch counts and windows, the mirror gate's input; null without a mirror. */
    volatile MirrorStats mirror;
    /** The canary-attempt counter's value that {@code progress.requests()} was counted up to. */
    volatile long base;
    /** The counter's value when this replica's count of the current step began (what it shares). */
    volatile long ownBase;
    /** The other replicas' requests on the step already in {@code progress.requests()}. */
    volatile long othersCounted;
    int gateRound;
    boolean gatesAsked;
    Instant gatesAgainAt = Instant.MIN;
    Instant savedAt = Instant.MIN;
    long savedRequests = -1;

    RoutePlan(String route) {
        this.route = route;
    }

    /** The plan of the route's rollout block. */
    static Plan plan(RolloutSettings s) {
        List<Integer> steps = s.exponential()
                ? Plan.exponential(s.exponentialStart().basisPoints(), s.exponentialFactor())
                : s.steps().stream().map(Percent::basisPoints).toList();
        return new Plan(steps, s.stepEvery(), s.minRequests(), s.gates().stream().map(Object::toString).toList(),
                s.promoteAfter(), s.mirrorGate());
    }

    /** The guard's last verdict on the route, as a plan reads it. */
    Health health(GuardSlots guards) {
        if (state.reverted()) {
            return Health.REVERTED;
        }
        RouteGuard guard = guards.get(route);
        if (guard == null) {
            return Health.UNGUARDED;
        }
        return switch (guard.lastVerdict().state()) {
            case HEALTHY -> Health.HEALTHY;
            case INSUFFICIENT_DATA -> Health.INSUFFICIENT_DATA;
            case BREACHING -> Health.BREACHING;
        };
    }

    /** The same, as events and logs name it. */
    String guardTag(GuardSlots guards) {
        return switch (health(guards)) {
            case HEALTHY -> "healthy";
            case INSUFFICIENT_DATA -> "insufficient_data";
            case BREACHING -> "breaching";
            case UNGUARDED -> "guard_disabled";
            case REVERTED -> "reverted";
        };
    }
}
