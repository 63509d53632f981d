package dev.ramp.gateway.proxy.mirror;

/**
 * What became of one dark-launch copy: the {@code result} tag of {@code ramp_mirror_requests_total}.
 * {@link #DROPPED} copies were never sent (the route had {@code max-in-flight} copies out already). A copy
 * has one result, the first that applies in the order status, body, headers.
 */
public enum MirrorResult {
    MATCH("match"),
    STATUS_DIFF("status_diff"),
    BODY_DIFF("body_diff"),
    /** Same status and body, but a response header differs (one not skipped: see {@link HeaderSnapshot}). */
    HEADER_DIFF("header_diff"),
    ERROR("error"),
    DROPPED("dropped");

    private final String tag;

    MirrorResult(String tag) {
        this.tag = tag;
    }

    /** The metric's tag value. */
    public String tag() {
        return tag;
    }
}
