package dev.ramp.gateway.guard;

/**
 * How one attempt to an upstream ended. The {@linkplain #tag() tags} are the values of the {@code outcome}
 * tag of the {@code ramp_upstream_request_seconds} metric.
 *
 * <p>Invariant: {@link #isError()} is {@code true} exactly for the outcomes that count against a version
 * in the guard: 5xx, connect errors, timeouts and resets. A 4xx is the client's fault, not the version's.
 */
public enum Outcome {
    SUCCESS_2XX("2xx"),
    REDIRECT_3XX("3xx"),
    CLIENT_4XX("4xx"),
    SERVER_5XX("5xx"),
    CONNECT_ERROR("connect_error"),
    TIMEOUT("timeout"),
    RESET("reset");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    /** The metric tag value, e.g. {@code "5xx"} or {@code "connect_error"}. */
    public String tag() {
        return tag;
    }

    /** Whether this outcome counts as a failure of the upstream version. */
    public boolean isError() {
        return this == SERVER_5XX || this == CONNECT_ERROR || this == TIMEOUT || this == RESET;
    }

    /**
     * The outcome of an attempt that received a response with the given status.
     *
     * <p>1xx counts as success: the only final 1xx a proxy sees is {@code 101 Switching Protocols}, a
     * successful WebSocket upgrade. Three-digit codes above 599 are not defined by HTTP; an upstream that
     * sends one is misbehaving, so they count as server errors.
     *
     * @throws IllegalArgumentException if {@code status} is not a three-digit code
     */
    public static Outcome ofStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
        }
        if (status < 300) {
            return SUCCESS_2XX;
        }
        if (status < 400) {
            return REDIRECT_3XX;
        }
        if (status < 500) {
            return CLIENT_4XX;
        }
        return SERVER_5XX;
    }
}
