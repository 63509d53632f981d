package dev.ramp.gateway.routing;

/**
 * A routing decision packed into an {@code int}, so the data path gets the version, the reason and the rule
 * that matched without allocating, and explain unpacks the very same value. Bit 0 is the version (1 canary),
 * bits 1-3 the {@link Reason}, the bits above the index of the matching rule plus one (0: no rule).
 */
public final class Decision {
    private Decision() {}

    static int of(Version version, Reason reason, int rule) {
        return (version == Version.CANARY ? 1 : 0) | reason.ordinal() << 1 | (rule + 1) << 4;
    }

    static int of(Version version, Reason reason) {
        return of(version, reason, -1);
    }

    public static Version version(int decision) {
        return (decision & 1) == 1 ? Version.CANARY : Version.STABLE;
    }

    public static Reason reason(int decision) {
        return Reason.of(decision >>> 1 & 7);
    }

    /** The index of the rule that matched, or -1. */
    public static int rule(int decision) {
        return (decision >>> 4) - 1;
    }
}
