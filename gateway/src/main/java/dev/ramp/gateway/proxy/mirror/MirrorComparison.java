package dev.ramp.gateway.proxy.mirror;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Compares the canary's answer to a dark-launch copy with stable's answer to the original: the status first,
 * then (when the route compares) the body digests, then the response headers. Two JSON bodies whose digests
 * differ are equal when they parse to the same value, object keys in any order, once the route's
 * {@code ignore-fields} are removed from both. A pure function.
 */
public final class MirrorComparison {
    /** JSON bodies up to this size are kept whole to be compared structurally (and fields ignored). */
    public static final int JSON_LIMIT = 64 * 1024;

    private MirrorComparison() {
    }

    /**
     * @param compare      whether bodies and headers count ({@code mirror.compare}); statuses always do
     * @param ignoreFields dotted paths of JSON fields left out of the body comparison
     * @param headersDiffer whether the two answers' compared headers differ ({@link HeaderSnapshot#diff})
     */
    public static MirrorResult compare(int stableStatus, BodyDigest stable, int canaryStatus, BodyDigest canary,
                                       boolean compare, List<String> ignoreFields, boolean headersDiffer) {
        if (stableStatus != canaryStatus) {
            return MirrorResult.STATUS_DIFF;
        }
        if (!compare) {
            return MirrorResult.MATCH;
        }
        if (!stable.sameAs(canary) && !sameJson(stable.whole(), canary.whole(), ignoreFields)) {
            return MirrorResult.BODY_DIFF;
        }
        return headersDiffer ? MirrorResult.HEADER_DIFF : MirrorResult.MATCH;
    }

    /** The same without ignored fields or headers (tests). */
    public static MirrorResult compare(int stableStatus, BodyDigest stable, int canaryStatus, BodyDigest canary,
                                       boolean compare) {
        return compare(stableStatus, stable, canaryStatus, canary, compare, List.of(), false);
    }

    /**
     * Whether both bodies were kept (JSON within the limit) and parse to equal values, key order aside and the
     * {@code ignoreFields} removed from both.
     */
    static boolean sameJson(byte[] a, byte[] b, List<String> ignoreFields) {
        if (a == null || b == null) {
            return false;
        }
        try {
            Object x = Json.decodeValue(Buffer.buffer(a));
            Object y = Json.decodeValue(Buffer.buffer(b));
            for (String field : ignoreFields) {
                String[] path = field.split("\\.");
                remove(x, path, 0);
                remove(y, path, 0);
            }
            return Objects.equals(x, y);
        } catch (DecodeException e) {
            return false; // not JSON after all: the digests decided
        }
    }

    /**
     * Removes {@code path[i..]} from {@code value}: in an object, the named field (or the rest of the path
     * within it); in an array, the same path from each element.
     */
    private static void remove(Object value, String[] path, int i) {
        if (value instanceof JsonArray array) {
            for (Object element : array) {
                remove(element, path, i);
            }
        } else if (value instanceof JsonObject object) {
            if (i == path.length - 1) {
                object.remove(path[i]);
            } else {
                remove(object.getValue(path[i]), path, i + 1);
            }
        }
    }

    /** Whether a Content-Type names JSON ({@code application/json}, {@code application/problem+json}, ...). */
    public static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
    }
}
