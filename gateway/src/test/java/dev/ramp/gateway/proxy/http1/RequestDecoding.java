package dev.ramp.gateway.proxy.http1;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs bytes through a request decoder on an embedded channel and renders what came out as text two decoders
 * can be compared on: each request's method, target (as the bytes an encoder would write), version, headers in
 * order, body bytes and trailers, then {@code REJECT} if the decoder failed, or {@code INCOMPLETE} if the bytes
 * ended inside a message. The channel is not closed first, so what a decoder does at the close is not compared.
 */
final class RequestDecoding {
    private RequestDecoding() {}

    /** Ramp's request decoder, as the gateway's client pipeline has it. */
    static String ramp(byte[] input) {
        return render(new ClientCodec.Decoder(), input);
    }

    /** Netty's request decoder with Ramp's limits and otherwise Netty's defaults. */
    static String netty(byte[] input) {
        return render(new HttpRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(Http1Decoder.MAX_LINE)
                .setMaxHeaderSize(Http1Decoder.MAX_HEADERS)
                .setMaxChunkSize(Http1Decoder.MAX_CHUNK)), input);
    }

    /** The outcome of {@code input} written to {@code decoder} in one piece. */
    static String render(ChannelHandler decoder, byte[] input) {
        return render(decoder, input, input.length);
    }

    /** The outcome of {@code input} written to {@code decoder} in pieces of {@code step} bytes. */
    static String render(ChannelHandler decoder, byte[] input, int step) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        StringBuilder out = new StringBuilder();
        boolean inMessage = false;
        boolean rejected = false;
        try {
            for (int i = 0; i < input.length; i += step) {
                ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(step, input.length - i)));
                Object o;
                while ((o = ch.readInbound()) != null) {
                    try {
                        if (!rejected) { // nothing after a failure counts
                            rejected = ((HttpObject) o).decoderResult().isFailure();
                            inMessage = add(out, (HttpObject) o, inMessage);
                        }
                    } finally {
                        ReferenceCountUtil.release(o);
                    }
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
        if (inMessage) {
            out.append("INCOMPLETE\n");
        }
        return out.toString();
    }

    /** Renders {@code o}; returns whether a message is still open after it. */
    private static boolean add(StringBuilder out, HttpObject o, boolean inMessage) {
        if (o.decoderResult().isFailure()) {
            if (inMessage) {
                out.append("\n");
            }
            out.append("REJECT\n");
            return false;
        }
        if (o instanceof HttpRequest r) {
            out.append(r.method().name()).append(' ')
                    .append(escape(new String(r.uri().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)))
                    .append(' ').append(r.protocolVersion().text()).append('\n');
            headers(out, r.headers());
            out.append("body:");
            inMessage = true;
        }
        if (o instanceof HttpContent c) {
            out.append(escape(c.content().toString(StandardCharsets.ISO_8859_1)));
        }
        if (o instanceof LastHttpContent last) {
            out.append('\n');
            if (!last.trailingHeaders().isEmpty() || o instanceof FullHttpRequest f && !f.trailingHeaders().isEmpty()) {
                out.append("trailers:\n");
                headers(out, last.trailingHeaders());
            }
            out.append("END\n");
            return false;
        }
        return inMessage;
    }

    private static void headers(StringBuilder out, HttpHeaders h) {
        for (Map.Entry<CharSequence, CharSequence> e : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                h::iteratorCharSequence) {
            out.append("  ").append(escape(e.getKey().toString())).append(": ").append(escape(e.getValue().toString()))
                    .append('\n');
        }
    }

    /** Control characters and bytes above 0x7e as {@code \xNN}, so a rendering is one readable line per item. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\') {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
