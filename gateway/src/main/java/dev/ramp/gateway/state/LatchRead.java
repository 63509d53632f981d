package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

/**
 * What {@link LatchStore#read(String)} found for a route: no latch, a latch, or a file that exists but
 * cannot be read as one. A corrupt latch must keep the route reverted (fail safe), so it is a case of its
 * own rather than an exception or "absent".
 */
public sealed interface LatchRead permits LatchRead.Absent, LatchRead.Present, LatchRead.Corrupt {

    /** No latch: the route is not reverted. */
    static LatchRead absent() {
        return Absent.INSTANCE;
    }

    /** A readable latch. */
    static LatchRead present(Latch latch) {
        return new Present(latch);
    }

    /** A latch file that exists but cannot be used, with what is wrong with it. */
    static LatchRead corrupt(String problem) {
        return new Corrupt(problem);
    }

    /** No latch file. */
    enum Absent implements LatchRead {
        INSTANCE
    }

    /**
     * A latch file that was read.
     *
     * @param latch its content
     */
    record Present(Latch latch) implements LatchRead {
        public Present {
            requireNonNull(latch, "latch");
        }
    }

    /**
     * A latch file that exists but is unreadable, empty, not JSON or not a latch of this route.
     *
     * @param problem what is wrong, for the status API and the log
     */
    record Corrupt(String problem) implements LatchRead {
        public Corrupt {
            requireNonNull(problem, "problem");
        }
    }
}
