package dev.ramp.gateway.guard;

/**
 * Why a canary was taken out of traffic. The {@linkplain #tag() tag} is what the latch file, the
 * {@code reason} metric tag and the status API show; the rule-based reasons share their tag with the
 * {@link Breach#rule()} that caused them.
 */
public enum RevertReason {
    CONSECUTIVE_FAILURES("consecutive_failures"),
    ERROR_RATE("error_rate"),
    ERROR_RATE_INCREASE("error_rate_increase"),
    P99("p99"),
    LATENCY_INCREASE("latency_increase"),
    MANUAL("manual");

    private final String tag;

    RevertReason(String tag) {
        this.tag = tag;
    }

    /** The wire name, e.g. {@code "error_rate_increase"}. */
    public String tag() {
        return tag;
    }

    /**
     * The reason with the given {@linkplain #tag() tag}.
     *
     * @throws IllegalArgumentException if no reason has that tag
     */
    public static RevertReason ofTag(String tag) {
        for (RevertReason reason : values()) {
            if (reason.tag.equals(tag)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("reason: " + tag + " (expected: one of consecutive_failures, "
                                           + "error_rate, error_rate_increase, p99, latency_increase, manual)");
    }
}
