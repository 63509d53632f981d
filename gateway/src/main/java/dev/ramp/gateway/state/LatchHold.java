package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What holds a route reverted: a latch, or a latch file that exists but could not be read (which holds
 * the route just the same, fail safe).
 *
 * <p>Invariants: exactly one of {@code latch} and {@code corruptProblem} is non-null.
 *
 * @param route the route held
 * @param file the latch file
 * @param latch the latch, or null when the file is corrupt
 * @param corruptProblem what is wrong with the file, or null when there is a latch
 */
public record LatchHold(String route, Path file, Latch latch, String corruptProblem) {

    public LatchHold {
        requireNonNull(route, "route");
        requireNonNull(file, "file");
        if ((latch == null) == (corruptProblem == null)) {
            throw new IllegalArgumentException("latch: " + latch + ", corruptProblem: " + corruptProblem
                                               + " (expected: exactly one of them)");
        }
    }

    /** A hold by a readable latch. */
    public static LatchHold of(Latch latch, Path file) {
        return new LatchHold(latch.route(), file, latch, null);
    }

    /** A hold by a latch file that could not be read. */
    public static LatchHold corrupt(String route, Path file, String problem) {
        return new LatchHold(route, file, null, requireNonNull(problem, "problem"));
    }
}
