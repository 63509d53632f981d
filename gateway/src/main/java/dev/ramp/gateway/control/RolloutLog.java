package dev.ramp.gateway.control;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.RolloutEvent;
import dev.ramp.gateway.rollout.Plan;
import dev.ramp.gateway.rollout.Progress;
import dev.ramp.gateway.rollout.RolloutMachine;
import dev.ramp.gateway.rollout.Transition.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a rollout transition tells operators: one event in the {@link EventLog} and one log line per change
 * of a plan (INFO, WARN for aborts and held gates), with the route and the canary's version in each. A held
 * gate's event is recorded where its answer is known ({@link Rollouts}); its log line is here.
 */
final class RolloutLog {
    private static final Logger log = LoggerFactory.getLogger(Rollouts.class);

    private RolloutLog() {}

    /**
     * @param before        the progress before the transition; null when the plan was just loaded
     * @param countedBefore canary requests counted on the step the plan left
     * @param guard         the guard's state tag at a step up; null otherwise
     */
    static void record(EventLog events, Change change, RouteConfig rc, Plan plan, Progress before, Progress after,
                       long countedBefore, String guard, boolean byOperator) {
        String route = rc.name();
        String version = rc.canary().version();
        String at = RolloutMachine.percent(after.weight());
        switch (change) {
            case NONE, ASK_GATES -> { }
            case STARTED -> {
                events.record(new RolloutEvent.Started(route, version, after.weight(), plan.size(), before != null));
                log.info("route={} version={} rollout started at {} ({} steps: {})", route, version, at, plan.size(),
                        String.join(" ", plan.steps().stream().map(RolloutMachine::percent).toList()));
            }
            case STEPPED -> {
                int step = plan.stepOf(after.weight());
                events.record(new RolloutEvent.Stepped(route, version, before.weight(), after.weight(), step,
                        plan.size(), countedBefore, guard, byOperator));
                log.info("route={} version={} rollout stepped {} -> {} (step {} of {}, {} canary requests, guard {}){}",
                        route, version, RolloutMachine.percent(before.weight()), at, step, plan.size(), countedBefore,
                        guard, byOperator ? " by an operator" : "");
            }
            case GATE_HELD -> log.warn("route={} version={} rollout held at {}: {}", route, version, at, after.reason());
            case PAUSED -> {
                events.record(new RolloutEvent.Paused(route, version, after.weight()));
                log.info("route={} version={} rollout paused at {} by an operator", route, version, at);
            }
            case CONTINUED -> {
                events.record(new RolloutEvent.Continued(route, version, after.weight()));
                log.info("route={} version={} rollout continued at {} by an operator", route, version, at);
            }
            case ABORTED -> {
                events.record(new RolloutEvent.Aborted(route, version, after.weight(), after.reason()));
                log.warn("route={} version={} rollout aborted at {}: {}; the canary gets 0% until a new canary is "
                         + "deployed", route, version, at, after.reason());
            }
            case READY -> {
                String promote = promote(rc);
                events.record(new RolloutEvent.ReadyToPromote(route, version, rc.canary().url().toString(), promote));
                log.info("route={} version={} rollout ready to promote: {}", route, version, promote);
            }
        }
    }

    /** What to edit to promote the canary: Ramp never rewrites the operator's file. */
    static String promote(RouteConfig rc) {
        return "in route \"" + rc.name() + "\" set stable { url = \"" + rc.canary().url() + "\", version = \""
               + rc.canary().version() + "\" } (the canary becomes the stable); the next canary (a new version or url)"
               + " starts the plan again from its first step";
    }
}
