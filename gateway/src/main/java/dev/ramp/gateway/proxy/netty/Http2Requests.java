package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.http1.FlatHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * First on an HTTP/2 stream's pipeline: turns the stream's frames into the very messages the HTTP/1.1 decoder
 * produces (a request head over {@link FlatHeaders}, then body pieces, then the end), so the
 * {@link FrontHandler} and {@link Exchange} behind it route, split, measure, guard and fall back a stream
 * exactly as a request. On the way out Netty's {@code Http2StreamFrameToHttpObjectCodec} turns the answer back
 * into frames. Netty has already checked the frames (pseudo-headers, connection-specific fields, lower-case
 * names, Content-Length against the DATA received).
 *
 * <p>What HTTP/1.1 needs that HTTP/2 says differently: {@code :authority} becomes {@code Host} (it wins over a
 * Host field, RFC 9113 8.3.1); split {@code cookie} fields are joined with "; " (RFC 9113 8.2.3); a body
 * without Content-Length goes upstream chunked; request trailers end the body (and are dropped, as on
 * HTTP/1.1). A head over {@code max-header-count} fields is a 431, as on HTTP/1.1.
 */
final class Http2Requests extends ChannelInboundHandlerAdapter {
    private static final AsciiString COOKIE = AsciiString.cached("cookie");

    private final int maxHeaderCount;
    private boolean headSeen;

    Http2Requests(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame d) {
            // The frame's buffer goes on as the body piece: ownership passes, nothing is copied.
            ctx.fireChannelRead(d.isEndStream() ? new DefaultLastHttpContent(d.content())
                                                : new DefaultHttpContent(d.content()));
        } else if (msg instanceof Http2HeadersFrame f) {
            if (headSeen) {
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT); // trailers: the body ended
            } else {
                headSeen = true;
                ctx.fireChannelRead(request(f.headers(), f.isEndStream(), maxHeaderCount));
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * The HTTP/1.1 request a stream's head stands for; a request whose decoder result failed (as the HTTP/1.1
     * decoder reports a malformed head) when it cannot be one.
     */
    static HttpRequest request(Http2Headers h, boolean endStream, int maxHeaderCount) {
        CharSequence method = h.method();
        CharSequence authority = h.authority();
        CharSequence path = h.path();
        if (method == null) {
            return malformed(new IllegalArgumentException("HTTP/2 request without :method"));
        }
        HttpMethod m = HttpMethod.valueOf(method.toString());
        if (path == null && m != HttpMethod.CONNECT) {
            return malformed(new IllegalArgumentException("HTTP/2 request without :path"));
        }
        FlatHeaders headers = new FlatHeaders();
        StringBuilder cookies = null;
        int count = 0;
        for (Map.Entry<CharSequence, CharSequence> e : h) {
            CharSequence name = e.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            if (++count > maxHeaderCount) {
                return malformed(new TooLongFrameException("more than " + maxHeaderCount + " header fields"));
            }
            if (COOKIE.contentEqualsIgnoreCase(name)) {
                cookies = cookies == null ? new StringBuilder(e.getValue()) : cookies.append("; ").append(e.getValue());
                continue;
            }
            headers.add(name, e.getValue());
        }
        if (cookies != null) {
            headers.add(HttpHeaderNames.COOKIE, cookies.toString());
        }
        if (authority != null) {
            headers.set(HttpHeaderNames.HOST, authority);
        } else if (!headers.contains(HttpHeaderNames.HOST)) {
            return malformed(new IllegalArgumentException("HTTP/2 request without :authority or Host"));
        }
        String uri = path != null ? path.toString() : String.valueOf(authority);
        if (endStream) {
            return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, m, uri, Unpooled.EMPTY_BUFFER, headers,
                    EmptyHttpHeaders.INSTANCE);
        }
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, m, uri, headers);
    }

    private static HttpRequest malformed(Exception cause) {
        HttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        r.setDecoderResult(DecoderResult.failure(cause));
        return r;
    }
}
