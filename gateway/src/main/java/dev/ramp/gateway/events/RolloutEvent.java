package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * What a rollout plan did, one record per kind; every {@link #type()} starts with {@code rollout_}, so
 * listeners (notifications, streams) can take them all by prefix. Weights are basis points.
 */
public sealed interface RolloutEvent extends EventLog.Event {

    /** The route whose plan it is (never null for rollout events). */
    @Override
    String route();

    /** The canary the plan rolls out. */
    String canaryVersion();

    private static String pct(int basisPoints) {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
    }

    /** A plan began at its start weight: the route got a plan, or a new canary restarted it. */
    record Started(String route, String canaryVersion, int weight, int steps, boolean newCanary) implements RolloutEvent {
        public Started {
            requireNonNull(route, "route");
            requireNonNull(canaryVersion, "canaryVersion");
        }

        @Override
        public String type() {
            return "rollout_started";
        }

        @Override
        public String message() {
            return "rollout of canary " + canaryVersion + " started at " + pct(weight) + " (" + steps + " steps"
                    + (newCanary ? ", new canary" : "") + ")";
        }
    }

    /** The plan stepped up ({@code byOperator}: POST .../rollout/next). */
    record Stepped(String route, String canaryVersion, int from, int to, int step, int steps, long requests,
                   String guard, boolean byOperator) implements RolloutEvent {
        public Stepped {
            requireNonNull(route, "route");
            requireNonNull(canaryVersion, "canaryVersion");
            requireNonNull(guard, "guard");
        }

        @Override
        public String type() {
            return "rollout_step";
        }

        @Override
        public String message() {
            return "canary " + canaryVersion + " stepped " + pct(from) + " -> " + pct(to) + " (step " + step + " of "
                    + steps + ", " + requests + " canary requests on the last step, guard " + guard + ")"
                    + (byOperator ? " by an operator" : "");
        }
    }

    /** An operator paused the plan. */
    record Paused(String route, String canaryVersion, int weight) implements RolloutEvent {
        @Override
        public String type() {
            return "rollout_paused";
        }

        @Override
        public String message() {
            return "rollout of canary " + canaryVersion + " paused at " + pct(weight) + " by an operator";
        }
    }

    /** An operator continued a paused plan. */
    record Continued(String route, String canaryVersion, int weight) implements RolloutEvent {
        @Override
        public String type() {
            return "rollout_continued";
        }

        @Override
        public String message() {
            return "rollout of canary " + canaryVersion + " continued at " + pct(weight) + " by an operator";
        }
    }

    /** The plan was aborted (a revert, an operator, a corrupt progress record): the canary gets 0 %. */
    record Aborted(String route, String canaryVersion, int weight, String reason) implements RolloutEvent {
        public Aborted {
            requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "rollout_aborted";
        }

        @Override
        public String message() {
            return "rollout of canary " + canaryVersion + " aborted at " + pct(weight) + ": " + reason;
        }
    }

    /** A gate did not let the step up go. */
    record GateHeld(String route, String canaryVersion, int weight, String gate, String answer) implements RolloutEvent {
        public GateHeld {
            requireNonNull(gate, "gate");
            requireNonNull(answer, "answer");
        }

        @Override
        public String type() {
            return "rollout_gate_held";
        }

        @Override
        public String message() {
            return "gate " + gate + " held canary " + canaryVersion + " at " + pct(weight) + ": " + answer;
        }
    }

    /** At 100 % and healthy for promote-after; {@code promote} says what to edit in the config. */
    record ReadyToPromote(String route, String canaryVersion, String canaryUrl, String promote) implements RolloutEvent {
        public ReadyToPromote {
            requireNonNull(canaryUrl, "canaryUrl");
            requireNonNull(promote, "promote");
        }

        @Override
        public String type() {
            return "rollout_ready_to_promote";
        }

        @Override
        public String message() {
            return "canary " + canaryVersion + " is ready to promote: " + promote;
        }
    }
}
