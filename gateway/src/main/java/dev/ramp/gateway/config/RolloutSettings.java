package dev.ramp.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A route's rollout plan as configured (the {@code rollout} block, see config/gateway.conf): either listed
 * {@code steps} or an {@code exponential} ramp, how long and how many canary requests each step needs, the
 * gates asked before each step up, and how long the canary must stay healthy at 100 % before it is ready to
 * promote. Validated by the loader: listed steps rise strictly and end at 100 %; an exponential ramp starts
 * above 0 % with a factor above 1 and reaches 100 % in at most {@link #MAX_STEPS} steps.
 *
 * @param steps             the listed steps, or empty when {@code exponential} is set
 * @param exponentialStart  the first step of an exponential ramp, or null when {@code steps} are listed
 * @param exponentialFactor each step of an exponential ramp is the last one times this (capped at 100 %); 0 when listed
 * @param stepEvery         least time on a step
 * @param minRequests       least canary requests on a step (judged healthy by the guard)
 * @param gates             URLs asked (GET) before each step up; a 2xx lets the step go
 * @param gateTimeout       a gate that has not answered within this holds the step
 * @param promoteAfter      at 100 % and healthy this long: ready to promote
 * @param mirrorGate        whether the first step up also waits for the route's dark-launch verdict to pass
 */
public record RolloutSettings(List<Percent> steps, Percent exponentialStart, double exponentialFactor,
                              Duration stepEvery, int minRequests, List<URI> gates, Duration gateTimeout,
                              Duration promoteAfter, boolean mirrorGate) {

    /** The most steps a plan may have (an exponential ramp with a tiny factor is refused). */
    public static final int MAX_STEPS = 100;

    public RolloutSettings {
        steps = List.copyOf(steps);
        gates = List.copyOf(gates);
        Objects.requireNonNull(stepEvery, "stepEvery");
        Objects.requireNonNull(gateTimeout, "gateTimeout");
        Objects.requireNonNull(promoteAfter, "promoteAfter");
        if (steps.isEmpty() == (exponentialStart == null)) {
            throw new IllegalArgumentException("steps: " + steps + " (expected: listed steps or an exponential start)");
        }
    }

    /** A plan without a mirror gate. */
    public RolloutSettings(List<Percent> steps, Percent exponentialStart, double exponentialFactor,
                           Duration stepEvery, int minRequests, List<URI> gates, Duration gateTimeout,
                           Duration promoteAfter) {
        this(steps, exponentialStart, exponentialFactor, stepEvery, minRequests, gates, gateTimeout, promoteAfter,
                false);
    }

    /** Whether the steps are an exponential ramp rather than a list. */
    public boolean exponential() {
        return exponentialStart != null;
    }
}
