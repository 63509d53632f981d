package dev.ramp.gateway.proxy.mirror;

import java.time.Instant;
import java.util.List;

/**
 * One differing pair kept for {@code GET /api/routes/{name}/mirror/diffs}: the request line, both answers'
 * statuses and first bytes, and the response headers that differed. No request header is ever kept, and a
 * response header whose name looks like a credential (Authorization, Cookie, Set-Cookie, ...) is kept by name
 * only ({@link HeaderSnapshot}), so no secret can leak through it. A canary that failed to answer has status
 * 0 and its error in {@code canaryBody}.
 *
 * @param headers the compared response headers that differed (whatever the result), empty when none did
 */
public record MirrorDiff(Instant at, MirrorResult result, String method, String uri, int stableStatus,
                         int canaryStatus, String stableBody, String canaryBody,
                         List<HeaderSnapshot.HeaderDiff> headers) {
    public MirrorDiff {
        headers = List.copyOf(headers);
    }
}
