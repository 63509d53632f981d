package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

/**
 * One threshold the canary crossed, significantly, in one evaluation.
 *
 * @param rule which rule: {@code error_rate}, {@code error_rate_increase}, {@code p99} or
 *             {@code latency_increase}, the same tags as the matching {@link RevertReason}
 * @param message what was measured against what, for operators
 */
public record Breach(String rule, String message) {

    public Breach {
        requireNonNull(rule, "rule");
        requireNonNull(message, "message");
    }

    /** The reason a revert caused by this breach reports. */
    RevertReason reason() {
        return RevertReason.ofTag(rule);
    }
}
