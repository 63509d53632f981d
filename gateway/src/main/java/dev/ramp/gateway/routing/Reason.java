package dev.ramp.gateway.routing;

/** Why a request got its version, in the order {@link Assignment} checks them. */
public enum Reason {
    /** A trusted override header named the version. */
    OVERRIDE("override"),
    /** The route is reverted: everyone but an override goes to stable, rings and rules included. */
    REVERTED("reverted"),
    /** The user is in {@code canary-users} or {@code stable-users}. */
    RING("ring"),
    /** A targeting rule matched: it pinned the version, or its weight was compared with the bucket. */
    RULE("rule"),
    /** No rule matched: the user's bucket against the route weight. */
    BUCKET("bucket");

    private static final Reason[] ALL = values();
    private final String tag;

    Reason(String tag) {
        this.tag = tag;
    }

    /** The lower-case name used in JSON. */
    public String tag() {
        return tag;
    }

    static Reason of(int ordinal) {
        return ALL[ordinal];
    }
}
