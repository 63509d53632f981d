package dev.ramp.gateway.proxy.mirror;

/**
 * What the metrics see of each dark-launch copy that ended (compared or failed, not dropped): how long stable
 * took to answer the original and the canary the copy. Called on event loops; must not block.
 */
@FunctionalInterface
public interface MirrorObserver {
    MirrorObserver NONE = (stableNanos, canaryNanos) -> { };

    void onCopy(long stableNanos, long canaryNanos);
}
