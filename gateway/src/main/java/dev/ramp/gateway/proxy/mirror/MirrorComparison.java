package dev.ramp.gateway.proxy.mirror;

/**
 * Compares the canary's answer to a dark-launch copy with stable's answer to the original: the status first,
 * then (when the route compares bodies) the body digests. A pure function.
 */
public final class MirrorComparison {
    private MirrorComparison() {
    }

    /**
     * @param compareBodies whether bodies count ({@code mirror.compare}); statuses always do
     */
    public static MirrorResult compare(int stableStatus, BodyDigest stable, int canaryStatus, BodyDigest canary,
                                       boolean compareBodies) {
        if (stableStatus != canaryStatus) {
            return MirrorResult.STATUS_DIFF;
        }
        if (compareBodies && !stable.sameAs(canary)) {
            return MirrorResult.BODY_DIFF;
        }
        return MirrorResult.MATCH;
    }
}
