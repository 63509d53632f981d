package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.GatewayError;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The answers the gateway gives itself, as HTTP/1 responses: a {@link GatewayError}'s JSON, whole. */
final class ErrorResponses {
    private ErrorResponses() {}

    /**
     * The response for {@code error} with its JSON body.
     *
     * @param close whether the connection closes after it (else an HTTP/1.0 client is told keep-alive)
     */
    static FullHttpResponse of(GatewayError error, String route, String message, HttpVersion version,
                               boolean close) {
        byte[] body = error.bodyBytes(route, message);
        FullHttpResponse r = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(error.status()),
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return r;
    }
}
