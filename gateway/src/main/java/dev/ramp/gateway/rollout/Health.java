package dev.ramp.gateway.rollout;

/** The guard's judgement of the canary as a plan reads it before a step up. */
public enum Health {
    /** Enough canary requests in the guard's window and no rule breached. */
    HEALTHY,
    /** Too few canary requests in the guard's window to judge: the step holds. */
    INSUFFICIENT_DATA,
    /** A guard rule is breached: the step holds (the guard reverts if it lasts). */
    BREACHING,
    /** The route's guard is disabled: the plan goes by time and request count alone. */
    UNGUARDED,
    /** The route is reverted (guard, alert or kill switch): the plan aborts. */
    REVERTED
}
