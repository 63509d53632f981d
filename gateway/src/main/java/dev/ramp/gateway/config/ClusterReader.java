package dev.ramp.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and validates {@code ramp.cluster} into {@link ClusterSettings}. Part of {@link ConfigLoader}. */
final class ClusterReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Duration LEAST = Duration.ofMillis(100);

    private ClusterReader() {}

    /** The settings, or null after problems were recorded. */
    static ClusterSettings read(ConfigReader cluster) {
        if (cluster == null) {
            return null;
        }
        String url = cluster.string("redis-url");
        String prefix = cluster.string("key-prefix");
        Duration resync = cluster.positiveDuration("resync-every");
        Duration retry = cluster.positiveDuration("retry-max");
        String replica = cluster.string("replica-id");
        boolean ok = url != null && prefix != null && resync != null && retry != null && replica != null;
        Optional<URI> redis = Optional.empty();
        if (url != null && !url.isBlank()) {
            try {
                URI u = new URI(url.trim());
                if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme()) || u.getHost() == null) {
                    cluster.problem("redis-url", "\"" + redactedText(url)
                            + "\" (expected: redis://[user:password@]host:port[/db], or rediss:// for TLS)");
                    ok = false;
                } else {
                    redis = Optional.of(u);
                }
            } catch (URISyntaxException e) {
                cluster.problem("redis-url", "\"" + redactedText(url) + "\" is not a url: " + e.getReason()
                        + " (expected: redis://host:port)");
                ok = false;
            }
        }
        if (prefix != null && (prefix.isBlank() || prefix.chars().anyMatch(Character::isWhitespace))) {
            cluster.problem("key-prefix", "\"" + prefix + "\" (expected: a prefix without spaces, e.g. \"ramp:\")");
            ok = false;
        }
        if (resync != null && resync.compareTo(LEAST) < 0) {
            cluster.problem("resync-every", resync.toMillis() + "ms (expected: 100ms or more)");
            ok = false;
        }
        if (retry != null && retry.compareTo(LEAST) < 0) {
            cluster.problem("retry-max", retry.toMillis() + "ms (expected: 100ms or more)");
            ok = false;
        }
        if (replica != null && !replica.isEmpty() && !NAME.matcher(replica).matches()) {
            cluster.problem("replica-id", "\"" + replica + "\" (expected: empty, or 1..64 of [A-Za-z0-9._-])");
            ok = false;
        }
        return ok ? new ClusterSettings(redis, prefix, resync, retry, replica) : null;
    }

    /** A url as written, its password hidden: problems are logged and shown by {@code validate}. */
    private static String redactedText(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }
}
