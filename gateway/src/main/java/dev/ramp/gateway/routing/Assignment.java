package dev.ramp.gateway.routing;

import java.util.Set;

/**
 * Who sees the canary (docs/architecture.md), decided from plain values so it is property-tested and
 * benchmarked without HTTP. The order of precedence:
 * <ol>
 *   <li>a trusted override header value ({@code stable} / {@code canary}), even on a reverted route;</li>
 *   <li>a reverted route sends everyone else to stable, rings included;</li>
 *   <li>the rings: {@code canary-users}, {@code stable-users};</li>
 *   <li>the bucket of the identity against the weight in basis points.</li>
 * </ol>
 * Monotone in the weight: raising it only adds canary users, lowering it only removes them.
 */
public final class Assignment {

    private Assignment() {}

    /**
     * The version for {@code identity} on {@code route}; {@code override} is null unless trusted and valid. The
     * identity may be a header value as decoded (a view of the request's bytes): it is only read, never kept.
     */
    public static Version decide(String routeName, CharSequence identity, int weightBasisPoints, boolean reverted,
                                 Version override, Set<String> canaryUsers, Set<String> stableUsers) {
        if (override != null) {
            return override;
        }
        if (reverted) {
            return Version.STABLE;
        }
        // The rings come before the weight: testers in canary-users see the canary at 0 % too.
        if (!canaryUsers.isEmpty() || !stableUsers.isEmpty()) {
            String id = identity.toString();
            if (canaryUsers.contains(id)) {
                return Version.CANARY;
            }
            if (stableUsers.contains(id)) {
                return Version.STABLE;
            }
        }
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
