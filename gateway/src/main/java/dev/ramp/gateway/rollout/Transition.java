package dev.ramp.gateway.rollout;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one input to a plan: its progress after it and what happened, so the caller records the
 * matching event, persists and logs once per change.
 *
 * @param progress the plan's progress now
 * @param change   what happened; {@link Change#NONE} when only the reason or the request count moved
 */
public record Transition(Progress progress, Change change) {

    /** What an input did to the plan. */
    public enum Change {
        /** Nothing but maybe the reason it holds or the request count. */
        NONE,
        /** A plan began at its start weight (a new plan, or a new canary). */
        STARTED,
        /** The plan stepped up to a higher weight. */
        STEPPED,
        /** The step's conditions are met: ask the gates. */
        ASK_GATES,
        /** A gate held the step; the reason says which and what it answered. */
        GATE_HELD,
        PAUSED,
        CONTINUED,
        ABORTED,
        /** At 100 % and healthy for promote-after. */
        READY
    }

    public Transition {
        requireNonNull(progress, "progress");
        requireNonNull(change, "change");
    }

    static Transition none(Progress p) {
        return new Transition(p, Change.NONE);
    }
}
