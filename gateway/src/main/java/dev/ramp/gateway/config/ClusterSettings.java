package dev.ramp.gateway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code ramp.cluster}: where replicas share their reverts, kill switch, resumes and rollout progress
 * (docs/operations.md, "Running replicas"). Without a {@code redis-url} the gateway is a single replica and
 * its state lives in {@code state-dir} files only.
 *
 * <p>Invariants: every field is non-null; {@code keyPrefix} is not blank; durations are positive;
 * {@code replicaId} is empty (a name made at start) or a name without whitespace.
 *
 * @param redisUrl {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS); empty: no
 *                 cluster
 * @param keyPrefix prefix of every key and channel, so several gateways can share one Redis
 * @param resyncEvery how often each replica re-reads the shared state (heals a missed pub/sub message)
 * @param retryMax the longest wait between two reconnection attempts while Redis is unreachable
 * @param replicaId this replica's name in records and logs; empty: {@code <hostname>-<random>}
 */
public record ClusterSettings(Optional<URI> redisUrl, String keyPrefix, Duration resyncEvery, Duration retryMax,
                              String replicaId) {

    public ClusterSettings {
        requireNonNull(redisUrl, "redisUrl");
        requireNonNull(keyPrefix, "keyPrefix");
        requireNonNull(resyncEvery, "resyncEvery");
        requireNonNull(retryMax, "retryMax");
        requireNonNull(replicaId, "replicaId");
    }

    /** No cluster: one replica, state in files. */
    public static final ClusterSettings NONE = new ClusterSettings(Optional.empty(), "ramp:", Duration.ofSeconds(5),
            Duration.ofSeconds(10), "");

    /** Whether replicas share their state through Redis. */
    public boolean enabled() {
        return redisUrl.isPresent();
    }

    @Override
    public String toString() {
        // Never print the password the url may hold.
        return "ClusterSettings[redisUrl=" + redisUrl.map(ClusterSettings::redacted).orElse("none") + ", keyPrefix="
               + keyPrefix + ", resyncEvery=" + resyncEvery + ", retryMax=" + retryMax + ", replicaId=" + replicaId + "]";
    }

    /** The url without its user information: safe for logs and the status. */
    public static String redacted(URI url) {
        return url.getRawUserInfo() == null ? url.toString()
                : url.getScheme() + "://***@" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                  + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
