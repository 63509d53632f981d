package dev.ramp.gateway.routing;

/** Which of a route's two upstreams serves a request. */
public enum Version {
    STABLE("stable"),
    CANARY("canary");

    private final String tag;

    Version(String tag) {
        this.tag = tag;
    }

    /** Lower-case name used in headers, metrics tags and JSON. */
    public String tag() {
        return tag;
    }
}
