package dev.ramp.gateway.routing;

import java.util.Set;

/**
 * Who sees the canary (docs/architecture.md, docs/targeting.md), decided from plain values so it is
 * property-tested and benchmarked without HTTP. The order of precedence:
 * <ol>
 *   <li>a trusted override header value ({@code stable} / {@code canary}), even on a reverted route;</li>
 *   <li>a reverted route sends everyone else to stable, rings and rules included;</li>
 *   <li>the rings: {@code canary-users}, {@code stable-users};</li>
 *   <li>the first targeting rule the request meets: it pins a version, or its weight replaces the route's;</li>
 *   <li>the bucket of the identity against the weight in basis points.</li>
 * </ol>
 * Monotone in every weight: raising the route's or a rule's weight only adds canary users, lowering it only
 * removes them, and since a rule's weight is compared with the same bucket, a user on the canary at the route
 * weight stays there in a segment with a higher weight. Allocation-free unless a rule's regular expression runs.
 */
public final class Assignment {

    private Assignment() {}

    /**
     * The version for {@code identity} on {@code route}; {@code override} is null unless trusted and valid. The
     * identity may be a header value as decoded (a view of the request's bytes): it is only read, never kept.
     */
    public static Version decide(String routeName, CharSequence identity, int weightBasisPoints, boolean reverted,
                                 Version override, Set<String> canaryUsers, Set<String> stableUsers) {
        return Decision.version(decide(routeName, identity, weightBasisPoints, reverted, override, canaryUsers,
                stableUsers, Rules.NONE, RequestFacts.NONE));
    }

    /**
     * The whole decision, packed as a {@link Decision}: the version, why, and the rule that matched. The data
     * path and explain both call this.
     *
     * @param rules the route's targeting rules, checked against {@code facts} after the rings
     */
    public static int decide(String routeName, CharSequence identity, int weightBasisPoints, boolean reverted,
                             Version override, Set<String> canaryUsers, Set<String> stableUsers, Rules rules,
                             RequestFacts facts) {
        if (override != null) {
            return Decision.of(override, Reason.OVERRIDE);
        }
        if (reverted) {
            return Decision.of(Version.STABLE, Reason.REVERTED);
        }
        // The rings come before the rules and the weight: testers in canary-users see the canary at 0 % too.
        if (!canaryUsers.isEmpty() || !stableUsers.isEmpty()) {
            String id = identity.toString();
            if (canaryUsers.contains(id)) {
                return Decision.of(Version.CANARY, Reason.RING);
            }
            if (stableUsers.contains(id)) {
                return Decision.of(Version.STABLE, Reason.RING);
            }
        }
        int rule = rules.isEmpty() ? -1 : rules.firstMatch(facts);
        if (rule < 0) {
            return Decision.of(byBucket(routeName, identity, weightBasisPoints), Reason.BUCKET);
        }
        Version pinned = rules.pinned(rule);
        return Decision.of(pinned != null ? pinned : byBucket(routeName, identity, rules.weightBasisPoints(rule)),
                Reason.RULE, rule);
    }

    /** Canary iff the identity's bucket is below the weight. */
    private static Version byBucket(String routeName, CharSequence identity, int weightBasisPoints) {
        if (weightBasisPoints <= 0) {
            return Version.STABLE;
        }
        if (weightBasisPoints >= Buckets.COUNT) {
            return Version.CANARY;
        }
        return Buckets.bucket(routeName, identity) < weightBasisPoints ? Version.CANARY : Version.STABLE;
    }

    /** Parses an override header value; null when it names neither version. */
    public static Version parseOverride(String value) {
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("canary")) {
            return Version.CANARY;
        }
        if (value.equalsIgnoreCase("stable")) {
            return Version.STABLE;
        }
        return null;
    }
}
