package dev.ramp.gateway.config;

/**
 * One entry of a route's {@code rules}: requests its {@link RuleMatch} takes are pinned to a version, or get
 * their own canary weight over the same user buckets as the route weight.
 *
 * <p>Invariant: exactly one of {@code version} ({@code "canary"} or {@code "stable"}) and {@code weight} is set.
 *
 * @param version the version the segment is pinned to, lower case, or null
 * @param weight  the segment's canary weight, or null
 */
public record TargetingRule(RuleMatch match, String version, Percent weight) {
    public TargetingRule {
        if ((version == null) == (weight == null)) {
            throw new IllegalArgumentException("version: " + version + ", weight: " + weight
                                               + " (expected: exactly one of them)");
        }
        if (version != null && !version.equals("canary") && !version.equals("stable")) {
            throw new IllegalArgumentException("version: " + version + " (expected: canary or stable)");
        }
    }

    /** As HOCON: {@code { match { ... }, version = "canary" }}. */
    @Override
    public String toString() {
        return "{ match { " + match + " }, " + (version != null ? "version = \"" + version + "\""
                : "weight = \"" + weight + "\"") + " }";
    }
}
