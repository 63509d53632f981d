package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.util.List;


/**
 * The {@link Judge}'s finding for one evaluation of a route.
 *
 * <p>Invariants: the state is {@link State#BREACHING} exactly when {@code breaches} is not empty;
 * {@code breaches} is immutable and in rule order ({@code error_rate}, {@code error_rate_increase},
 * {@code p99}, {@code latency_increase}).
 *
 * @param state the overall finding
 * @param breaches the rules the canary breached, empty unless breaching
 * @param evidence the windows and test results the finding rests on
 */
public record Verdict(State state, List<Breach> breaches, Evidence evidence) {

    /** The overall finding of one evaluation. */
    public enum State {
        /** Enough data on the canary and no rule breached. */
        HEALTHY("healthy"),
        /** The canary had fewer than {@code minRequests} requests in the window: hold, never revert. */
        INSUFFICIENT_DATA("insufficient_data"),
        /** At least one rule breached. */
        BREACHING("breaching");

        private final String tag;

        State(String tag) {
            this.tag = tag;
        }

        /** The status API's name: {@code healthy}, {@code insufficient_data} or {@code breaching}. */
        public String tag() {
            return tag;
        }
    }

    public Verdict {
        requireNonNull(state, "state");
        breaches = List.copyOf(breaches);
        requireNonNull(evidence, "evidence");
        if ((state == State.BREACHING) == breaches.isEmpty()) {
            throw new IllegalArgumentException(
                    "breaches: " + breaches + " (expected: non-empty exactly when state is BREACHING, state: "
                    + state + ')');
        }
    }
}
