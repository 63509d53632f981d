package dev.ramp.gateway.guard;

/**
 * Which of a route's two versions an attempt went to. The {@linkplain #tag() tags} are the values of the
 * {@code role} metric tag and of the status API.
 */
public enum Role {
    STABLE("stable"),
    CANARY("canary");

    private final String tag;

    Role(String tag) {
        this.tag = tag;
    }

    /** {@code "stable"} or {@code "canary"}. */
    public String tag() {
        return tag;
    }
}
