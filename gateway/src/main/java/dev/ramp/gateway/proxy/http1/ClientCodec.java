package dev.ramp.gateway.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.AsciiString;
import java.util.function.BooleanSupplier;

/**
 * The client side of the data path: its request decoder ({@link Http1Decoder}) and Netty's response
 * encoder as two plain handlers, instead of {@code HttpServerCodec}'s combined handler and its queue of request
 * methods.
 *
 * <p>The one thing that queue is for, a response to HEAD having no body, comes from the connection's handler,
 * which serves one request at a time (later pipelined requests wait). Request header names clients commonly
 * send are the shared constants when spelled exactly so, instead of a new name and byte array each.
 */
public final class ClientCodec {
    private ClientCodec() {}

    /** Names on most requests, with the capitalisation clients send. */
    private static final AsciiString[][] COMMON = CommonNames.byLength(
        AsciiString.cached("Host"), AsciiString.cached("Accept"), AsciiString.cached("Connection"),
        AsciiString.cached("Content-Type"), AsciiString.cached("Content-Length"), AsciiString.cached("Expect"),
        AsciiString.cached("User-Agent"), AsciiString.cached("Accept-Encoding"),
        AsciiString.cached("Accept-Language"), AsciiString.cached("Cookie"), AsciiString.cached("X-User-Id"),
        AsciiString.cached("X-Forwarded-For"), AsciiString.cached("X-Forwarded-Proto"),
        AsciiString.cached("X-Forwarded-Host"), AsciiString.cached("X-Request-Id"),
        AsciiString.cached("Authorization"), AsciiString.cached("Referer"), AsciiString.cached("Origin"),
        AsciiString.cached("Cache-Control"), AsciiString.cached("If-None-Match"),
        AsciiString.cached("Idempotency-Key"), AsciiString.cached("Transfer-Encoding"),
        AsciiString.cached("user-agent"), AsciiString.cached("accept"), AsciiString.cached("accept-encoding"),
        AsciiString.cached("cookie"), AsciiString.cached("host"), AsciiString.cached("content-type"),
        AsciiString.cached("content-length"), AsciiString.cached("x-user-id"), AsciiString.cached("authorization"));

    /** Requests from clients, with the header names clients commonly send shared. */
    public static final class Decoder extends Http1Decoder {
        public Decoder() {
            this(Integer.MAX_VALUE);
        }

        /** @param maxHeaderCount more header fields in a request head: 431 */
        public Decoder(int maxHeaderCount) {
            super(true, COMMON, maxHeaderCount);
        }
    }

    public static final class Encoder extends HttpResponseEncoder {
        private final BooleanSupplier answeringHead;

        /** {@code answeringHead}: whether the response being written answers a HEAD (then it has no body). */
        public Encoder(BooleanSupplier answeringHead) {
            this.answeringHead = answeringHead;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            return answeringHead.getAsBoolean() || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (headers instanceof FlatHeaders f) {
                f.encode(buf);
            } else {
                super.encodeHeaders(headers, buf);
            }
        }
    }

    /** Requests to upstreams: Netty's encoder, with {@link FlatHeaders#encode} writing the header lines. */
    public static final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (headers instanceof FlatHeaders f) {
                f.encode(buf);
            } else {
                super.encodeHeaders(headers, buf);
            }
        }
    }
}
