package dev.ramp.gateway.rollout;

/** An operator's command that the plan's state does not allow (continue an aborted plan, step past promotion). */
public final class RolloutConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RolloutConflict(String message) {
        super(message, null, false, false);
    }
}
