package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.TraceParent;
import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.proxy.http1.Headers;
import dev.ramp.gateway.routing.Version;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * The header rewrites of a hop through the gateway, done in place on the decoded heads: hop-by-hop headers
 * dropped (RFC 9110 section 7.6.1), X-Forwarded-* set from the connection unless a trusted peer sent them,
 * W3C {@code traceparent} passed on with the gateway's span id (or started), the request's trailers dropped,
 * and the response's framing and Connection header chosen for the client's HTTP version.
 */
final class ForwardedHeaders {
    private static final AsciiString VERSION_HEADER = AsciiString.cached("X-Ramp-Version");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
    private static final AsciiString TRACESTATE = AsciiString.cached("tracestate");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    /**
     * Headers that also claim where a request came from: from an untrusted peer they are dropped, as its
     * X-Forwarded-For is replaced, so an upstream never takes a client's word for its address or path.
     */
    private static final AsciiString[] CLAIMS = {AsciiString.cached("forwarded"), AsciiString.cached("x-real-ip"),
        AsciiString.cached("x-forwarded-port"), AsciiString.cached("x-forwarded-prefix")};

    private ForwardedHeaders() {}

    /**
     * Rewrites the client's request head into the one every attempt sends (Host is set per attempt).
     *
     * @param peer       the client's address, null when unknown
     * @param hostHeader the client's Host header as received, or null
     * @param secure     whether the client came over TLS
     * @param upgrade    whether it is a WebSocket upgrade request: it keeps what asks for the upgrade
     */
    static void request(HttpRequest request, boolean trusted, AsciiString peer, CharSequence hostHeader,
                        boolean secure, boolean upgrade) {
        HttpHeaders h = request.headers();
        String protocol = upgrade ? h.get(HttpHeaderNames.UPGRADE) : null;
        String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
        String xff = h.get(X_FORWARDED_FOR);
        String proto = h.get(X_FORWARDED_PROTO);
        String fwdHost = h.get(X_FORWARDED_HOST);
        Headers.stripHopByHop((FlatHeaders) h);
        h.remove(HttpHeaderNames.EXPECT);
        if (te != null && te.regionMatches(true, te.length() - 7, "chunked", 0, 7)) {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        h.set(X_FORWARDED_FOR, trusted && xff != null ? xff + ", " + peer : peer);
        if (!trusted) {
            for (AsciiString claim : CLAIMS) {
                h.remove(claim);
            }
        }
        h.set(X_FORWARDED_PROTO, trusted && proto != null ? proto : secure ? HTTPS : HTTP);
        if (!(trusted && fwdHost != null)) {
            if (hostHeader != null) {
                h.set(X_FORWARDED_HOST, hostHeader);
            } else {
                h.remove(X_FORWARDED_HOST);
            }
        }
        traceContext(h);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (upgrade) {
            Tunnel.keepUpgrade(request, protocol);
        }
    }

    /**
     * W3C Trace Context: the client's trace goes on with the gateway as its new parent ({@link TraceParent});
     * a request without a valid one starts a trace, and a {@code tracestate} that belonged to no valid parent is
     * dropped (the specification allows it; a new trace has no vendor state yet). A valid one's state is kept.
     */
    private static void traceContext(HttpHeaders h) {
        String incoming = h.get(TRACEPARENT);
        boolean continued = incoming != null && TraceParent.valid(incoming);
        h.set(TRACEPARENT, TraceParent.next(continued ? incoming : null));
        if (!continued) {
            h.remove(TRACESTATE);
        }
    }

    /**
     * Drops the request's trailers: a client could otherwise send X-Forwarded-For or Host after the body, past
     * every rule the head went through.
     */
    static void requestTrailers(LastHttpContent end) {
        if (!end.trailingHeaders().isEmpty()) {
            end.trailingHeaders().clear();
        }
    }

    /**
     * Rewrites an upstream's response head for the client. Returns whether the client connection must close
     * after this response (a body without a length to an HTTP/1.0 client, or the connection is ending anyway).
     *
     * @param newIdentity a fresh identity to store in the route's cookie, or null
     * @param closing     whether the client connection closes after this response regardless
     * @param secure      whether the client came over TLS (the identity cookie is then {@code Secure})
     */
    static boolean response(HttpResponse r, int status, RouteConfig rc, Version version, String newIdentity,
                            boolean head, HttpVersion clientVersion, boolean closing, boolean secure) {
        HttpHeaders h = r.headers();
        Headers.stripHopByHop((FlatHeaders) h);
        if (newIdentity != null) {
            h.add(HttpHeaderNames.SET_COOKIE, RouteDecision.identityCookie(rc.sticky(), newIdentity, secure));
        }
        if (rc.exposeVersionHeader()) {
            h.set(VERSION_HEADER, version.tag());
        }
        boolean close = closing;
        boolean bodyless = head || status == 204 || status == 304 || status < 200;
        if (!bodyless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (clientVersion == HttpVersion.HTTP_1_0) {
                close = true; // the body ends when the connection does
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion == HttpVersion.HTTP_1_0) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(clientVersion);
        return close;
    }
}
