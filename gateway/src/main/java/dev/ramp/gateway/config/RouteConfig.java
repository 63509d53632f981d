package dev.ramp.gateway.config;

import java.util.List;

/**
 * One route, fully merged over {@code ramp.route-defaults} and validated. {@code rollout} is null unless
 * the route has a {@code rollout} block (a plan that steps the weight by itself).
 *
 * @param rules the targeting rules, in order (the first that matches a request decides); may be empty
 * @param mirror the route's dark launch, or null when it has none (its percent is 0%)
 */
public record RouteConfig(
        String name,
        Match match,
        Upstream stable,
        Upstream canary,
        Percent weight,
        Sticky sticky,
        OverrideSettings override,
        boolean exposeVersionHeader,
        Timeouts timeouts,
        Fallback fallback,
        CircuitBreakerSettings circuitBreaker,
        GuardSettings guard,
        List<TargetingRule> rules,
        RolloutSettings rollout,
        MirrorSettings mirror) {
    public RouteConfig {
        rules = List.copyOf(rules);
    }
}
