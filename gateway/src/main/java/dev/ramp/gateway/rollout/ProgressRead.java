package dev.ramp.gateway.rollout;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link ProgressStore} holds for a route. An unusable record is a case of its own: the plan must
 * not guess its step from it (that could move users back or forward), so it aborts (fail safe).
 */
public sealed interface ProgressRead permits ProgressRead.Absent, ProgressRead.Present, ProgressRead.Corrupt {

    ProgressRead ABSENT = new Absent();

    /** Nothing saved: the plan starts. */
    record Absent() implements ProgressRead {}

    /** Saved progress. */
    record Present(Progress progress) implements ProgressRead {
        public Present {
            requireNonNull(progress, "progress");
        }
    }

    /** Saved, but unreadable or not a progress record; {@code problem} says why. */
    record Corrupt(String problem) implements ProgressRead {
        public Corrupt {
            requireNonNull(problem, "problem");
        }
    }
}
