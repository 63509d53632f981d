package dev.ramp.gateway.proxy.mirror;

import java.time.Instant;

/**
 * One differing pair kept for {@code GET /api/routes/{name}/mirror/diffs}: the request line and both answers'
 * statuses and first bytes. No request or response header is ever kept, so neither Authorization nor Cookie
 * can leak through it. A canary that failed to answer has status 0 and its error in {@code canaryBody}.
 */
public record MirrorDiff(Instant at, MirrorResult result, String method, String uri, int stableStatus,
                         int canaryStatus, String stableBody, String canaryBody) {
}
