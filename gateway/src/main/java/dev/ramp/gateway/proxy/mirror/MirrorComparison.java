package dev.ramp.gateway.proxy.mirror;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.Objects;

/**
 * Compares the canary's answer to a dark-launch copy with stable's answer to the original: the status first,
 * then (when the route compares bodies) the body digests; two JSON bodies whose digests differ are equal when
 * they parse to the same value, object keys in any order. A pure function.
 */
public final class MirrorComparison {
    /** JSON bodies up to this size are kept whole to be compared structurally. */
    public static final int JSON_LIMIT = 64 * 1024;

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
        if (compareBodies && !stable.sameAs(canary) && !sameJson(stable.whole(), canary.whole())) {
            return MirrorResult.BODY_DIFF;
        }
        return MirrorResult.MATCH;
    }

    /** Whether both bodies were kept (JSON within the limit) and parse to equal values, key order aside. */
    static boolean sameJson(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return Objects.equals(Json.decodeValue(Buffer.buffer(a)), Json.decodeValue(Buffer.buffer(b)));
        } catch (DecodeException e) {
            return false; // not JSON after all: the digests decided
        }
    }

    /** Whether a Content-Type names JSON ({@code application/json}, {@code application/problem+json}, ...). */
    public static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
    }
}
