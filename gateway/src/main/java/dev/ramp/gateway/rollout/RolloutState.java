package dev.ramp.gateway.rollout;

/**
 * Where a rollout plan is: {@code progressing → (waiting_gate) → ready_to_promote}, with {@code paused} and
 * {@code aborted} beside them. Only {@link #ABORTED} takes the canary out of traffic; every other state
 * serves the plan's current weight.
 */
public enum RolloutState {
    /** On a step, waiting for its time, its canary requests and a healthy guard. */
    PROGRESSING("progressing"),
    /** An operator paused the plan: it holds its step until continued. */
    PAUSED("paused"),
    /** The step's conditions are met; the gates are being asked (or held the step up). */
    WAITING_GATE("waiting_gate"),
    /** At 100 % and healthy for promote-after: the operator may make the canary the stable. */
    READY_TO_PROMOTE("ready_to_promote"),
    /** Stopped by a revert or an operator: the canary gets no traffic until a new canary is deployed. */
    ABORTED("aborted");

    private final String tag;

    RolloutState(String tag) {
        this.tag = tag;
    }

    /** The status API's, the metric's and the progress file's name. */
    public String tag() {
        return tag;
    }

    /** The state named {@code tag}. */
    public static RolloutState ofTag(String tag) {
        for (RolloutState s : values()) {
            if (s.tag.equals(tag)) {
                return s;
            }
        }
        throw new IllegalArgumentException("state: " + tag + " (expected: progressing, paused, waiting_gate, "
                + "ready_to_promote or aborted)");
    }
}
