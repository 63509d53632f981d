package dev.ramp.gateway.config;

/** The body a notification webhook receives ({@code ramp.notify[].format}). */
public enum NotifyFormat {
    /** Ramp's own JSON (docs/operations.md): the event as {@code GET /api/events} shows it, plus a version. */
    JSON("json"),
    /** A Slack incoming webhook's message: {@code text} plus {@code blocks}. */
    SLACK("slack");

    private final String tag;

    NotifyFormat(String tag) {
        this.tag = tag;
    }

    /** The value as written in the config. */
    public String tag() {
        return tag;
    }
}
