package dev.ramp.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of rollout plans: {@code ramp_rollout_step_ratio{route}} (the plan's weight, 0..1; 0 once
 * aborted) and {@code ramp_rollout_state{route,state}} (1 for the plan's state, 0 for the others). A route
 * has them while it has a plan; {@link #remove} takes them away with the plan.
 */
public final class RolloutMetrics {
    static final String STEP_RATIO = "ramp.rollout.step.ratio"; // ramp_rollout_step_ratio
    static final String STATE = "ramp.rollout.state";           // ramp_rollout_state
    /** Every state a plan can be in, so each route exposes a complete 0/1 set. */
    public static final List<String> STATES =
            List.of("progressing", "paused", "waiting_gate", "ready_to_promote", "aborted");

    private final MeterRegistry registry;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

    /** One route's gauges and what they read. */
    private static final class Plan {
        final MeterScope scope;
        volatile double ratio;
        volatile String state = "";

        Plan(MeterScope scope) {
            this.scope = scope;
        }
    }

    RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets route {@code route}'s plan weight ({@code ratio}, 0..1) and state tag, registering its gauges first. */
    public void update(String route, double ratio, String state) {
        Plan p = plans.computeIfAbsent(route, this::register);
        p.ratio = ratio;
        p.state = state;
    }

    /** The route has no plan any more (or is gone): its series leave {@code /metrics}. */
    public void remove(String route) {
        Plan p = plans.remove(route);
        if (p != null) {
            p.scope.retire();
        }
    }

    private Plan register(String route) {
        Plan p = new Plan(new MeterScope(registry));
        p.scope.register(() -> Gauge.builder(STEP_RATIO, p, x -> x.ratio)
                .description("The canary weight a rollout plan sets, 0..1 (0 once aborted)")
                .tag("route", route)
                .register(registry), () -> null);
        for (String s : STATES) {
            p.scope.register(() -> Gauge.builder(STATE, p, x -> s.equals(x.state) ? 1 : 0)
                    .description("1 for the state a route's rollout plan is in, 0 for the others")
                    .tag("route", route)
                    .tag("state", s)
                    .register(registry), () -> null);
        }
        return p;
    }
}
