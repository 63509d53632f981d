package dev.ramp.gateway.guard;

/** How one upstream attempt ended; the {@code outcome} tag of {@code ramp_upstream_request_seconds}. */
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

    public String tag() {
        return tag;
    }

    /** 5xx, connect errors, timeouts and resets count against a version; 4xx do not. */
    public boolean isError() {
        return this == SERVER_5XX || this == CONNECT_ERROR || this == TIMEOUT || this == RESET;
    }

    public static Outcome ofStatus(int status) {
        if (status >= 500) {
            return SERVER_5XX;
        }
        if (status >= 400) {
            return CLIENT_4XX;
        }
        if (status >= 300) {
            return REDIRECT_3XX;
        }
        return SUCCESS_2XX;
    }
}
