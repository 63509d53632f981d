package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.MirrorSettings;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.mirror.BodyDigest;
import dev.ramp.gateway.proxy.mirror.HeaderSnapshot;
import dev.ramp.gateway.proxy.mirror.MirrorComparison;
import dev.ramp.gateway.proxy.mirror.MirrorDiff;
import dev.ramp.gateway.proxy.mirror.MirrorResult;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.routing.Buckets;
import dev.ramp.gateway.routing.Version;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sampled request's dark launch: a copy of its head as forwarded to stable ({@link #capture}), the
 * digest of stable's answer taken while the {@link Relay} streams it to the client, and, once stable's answer
 * is complete, the copy sent to the canary by its loop's {@link MirrorClient}, whose answer is digested and
 * compared ({@link MirrorComparison}) and then dropped. Exists only for sampled requests: a route without
 * {@code mirror} costs the data path one null check. Confined to the event loop of its exchange.
 *
 * <p>Only bodiless requests of the listed methods are copied: a body would have to be kept until stable
 * answered, and replaying it is not safe in general.
 */
final class Mirror {
    static final AsciiString MIRROR_HEADER = AsciiString.cached("x-ramp-mirror");
    /** Hop-by-hop and framing headers the copy does not carry (it is a fresh bodiless request). */
    private static final AsciiString[] DROPPED = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.CONTENT_LENGTH,
            HttpHeaderNames.HOST, HttpHeaderNames.EXPECT, MIRROR_HEADER};

    final LiveRoute route;
    final MirrorSettings settings;
    final HttpMethod method;
    final String uri;
    private final HttpHeaders headers = new DefaultHttpHeaders();
    private int stableStatus;
    private final BodyDigest stable = new BodyDigest();
    final BodyDigest canary = new BodyDigest();
    /** Both answers' compared headers, taken when the route compares (else null). */
    private HeaderSnapshot stableHeaders;
    private HeaderSnapshot canaryHeaders;
    /** When the request went to stable, then how long stable took to answer it whole. */
    private long stableStart;
    private long stableNanos;

    private Mirror(LiveRoute route, HttpRequest req) {
        this.route = route;
        this.settings = route.config().mirror();
        this.method = req.method();
        this.uri = req.uri();
    }

    /**
     * Copies the request head as {@link ForwardedHeaders} rewrote it for stable (hop-by-hop headers dropped,
     * X-Forwarded-* set from the connection), before it is sent: the canary gets what stable got.
     */
    void capture(HttpRequest forwarded) {
        stableStart = System.nanoTime();
        for (Map.Entry<String, String> e : forwarded.headers()) {
            if (!dropped(e.getKey())) {
                headers.add(e.getKey(), e.getValue());
            }
        }
    }

    private static boolean dropped(String name) {
        for (AsciiString d : DROPPED) {
            if (d.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The dark launch of {@code req} when it is sampled: decided for stable, bodiless, of a listed method, and
     * its user's bucket among the top {@code percent} (the buckets the canary's weight reaches last, so the
     * same user is copied every time); else null. Call only for a route with a mirror.
     *
     * @param identity the request's identity as read (user header, else cookie), or null
     */
    static Mirror sample(LiveRoute route, HttpRequest req, RouteDecision decision, CharSequence identity) {
        MirrorSettings s = route.config().mirror();
        if (decision.version() != Version.STABLE || !s.methods().contains(req.method().name()) || !bodiless(req)) {
            return null;
        }
        CharSequence id = decision.newIdentity() != null ? decision.newIdentity() : identity;
        if (id == null || Buckets.bucket(route.name(), id) < Buckets.COUNT - s.percent().basisPoints()) {
            return null;
        }
        return new Mirror(route, req);
    }

    /** No body: none announced (one whole message from the decoder), or {@code Content-Length: 0}. */
    private static boolean bodiless(HttpRequest req) {
        return req instanceof FullHttpRequest || "0".equals(req.headers().get(HttpHeaderNames.CONTENT_LENGTH));
    }

    /**
     * Stable's final response head as the upstream sent it (before the gateway rewrites it for the client); a
     * whole small answer carries its body.
     */
    void stableHead(int status, HttpResponse r) {
        stableStatus = status;
        if (settings.compare()) {
            stableHeaders = HeaderSnapshot.of(r.headers(), settings.ignoreHeaders());
        }
        json(stable, r);
        if (r instanceof HttpContent c) {
            stable.update(c.content());
        }
    }

    /** The canary's final response head to the copy. */
    void canaryHead(HttpResponse r) {
        if (settings.compare()) {
            canaryHeaders = HeaderSnapshot.of(r.headers(), settings.ignoreHeaders());
        }
        json(canary, r);
    }

    /** Stable's answer is whole (the copy is about to be sent): its time is taken now. */
    void stableAnswered() {
        stableNanos = System.nanoTime() - stableStart;
    }

    /** A JSON answer is kept whole (up to a limit) to be compared structurally when the digests differ. */
    void json(BodyDigest d, HttpResponse r) {
        if (settings.compare() && MirrorComparison.isJson(r.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            d.keepWhole(MirrorComparison.JSON_LIMIT);
        }
    }

    /** A piece of stable's body, before it is written to the client (which releases it). */
    void stableBody(ByteBuf b) {
        stable.update(b);
    }

    /** The copy to send to the canary: the head stable got, Host set to the canary's, bodiless. */
    FullHttpRequest request() {
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
        r.headers().set(HttpHeaderNames.HOST, route.authority(Version.CANARY));
        r.headers().set(MIRROR_HEADER, "1");
        return r;
    }

    /**
     * The canary answered {@code canaryStatus} in full after {@code canaryNanos}: compares, counts, keeps a
     * differing pair.
     */
    void answered(int canaryStatus, long canaryNanos) {
        List<HeaderSnapshot.HeaderDiff> headerDiffs = stableHeaders == null || canaryHeaders == null ? List.of()
                : HeaderSnapshot.diff(stableHeaders, canaryHeaders);
        MirrorResult result = MirrorComparison.compare(stableStatus, stable, canaryStatus, canary,
                settings.compare(), settings.ignoreFields(), !headerDiffs.isEmpty());
        MirrorStats stats = route.mirror();
        boolean keep = result != MirrorResult.MATCH && stats.wantsDiff(System.nanoTime());
        stats.finished(result, keep ? diff(result, canaryStatus, canary.head(), headerDiffs) : null, stableNanos,
                canaryNanos);
    }

    /** The copy failed ({@code why}) after {@code canaryNanos}: connect error, timeout, reset or a broken answer. */
    void failed(String why, long canaryNanos) {
        MirrorStats stats = route.mirror();
        boolean keep = stats.wantsDiff(System.nanoTime());
        stats.finished(MirrorResult.ERROR, keep ? diff(MirrorResult.ERROR, 0, why, List.of()) : null, stableNanos,
                canaryNanos);
    }

    private MirrorDiff diff(MirrorResult result, int canaryStatus, String canaryBody,
                            List<HeaderSnapshot.HeaderDiff> headers) {
        return new MirrorDiff(Instant.now(), result, method.name(), uri, stableStatus, canaryStatus, stable.head(),
                canaryBody, headers);
    }
}
