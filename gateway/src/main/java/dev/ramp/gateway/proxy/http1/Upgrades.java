package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Which requests ask to switch their connection to another protocol and are let through (RFC 9110 7.8):
 * the WebSocket opening handshake (RFC 6455 4.1), a bodiless HTTP/1.1 GET whose {@code Connection} lists
 * {@code upgrade} and whose {@code Upgrade} lists {@code websocket}. Only these keep {@code Upgrade} on their
 * way upstream; any other {@code Upgrade} (h2c, TLS) is dropped as the hop-by-hop header it is, and the request
 * is served as plain HTTP/1.1. The decoder stops at such a request's head (its connection may not carry HTTP
 * any more), and the data path tunnels the connection once the upstream answers 101.
 */
public final class Upgrades {
    private Upgrades() {}

    /**
     * Whether {@code r} asks for a WebSocket upgrade, as the decoder hands it over: without a body (none framed,
     * or {@code Content-Length: 0}, which the JDK's client sends).
     */
    public static boolean webSocket(HttpRequest r) {
        if (r.method() != HttpMethod.GET || r.protocolVersion() != HttpVersion.HTTP_1_1) {
            return false;
        }
        HttpHeaders h = r.headers();
        return h.contains(HttpHeaderNames.UPGRADE)
               && h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
               && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
               && (r instanceof FullHttpRequest
                   || !h.contains(HttpHeaderNames.TRANSFER_ENCODING) && "0".equals(h.get(HttpHeaderNames.CONTENT_LENGTH)));
    }
}
