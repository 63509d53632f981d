package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Http2Options;
import dev.ramp.gateway.config.Limits;
import dev.ramp.gateway.proxy.http1.ClientCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The handlers a client connection ends with, once its protocol is known: HTTP/1.1 (the codec and a
 * {@link FrontHandler}) or HTTP/2 (Netty's frame codec and stream multiplexer, an {@link Http2Front}, and per
 * stream {@link Http2Requests}, Netty's frame-to-HTTP codec and a {@link FrontHandler} of its own). Over TLS
 * the protocol is ALPN's choice ({@link #alpn}); on a plain listener with h2c on, the first bytes decide: the
 * HTTP/2 connection preface, or anything else as HTTP/1.1 ({@link #sniffPreface}).
 *
 * <p>HTTP/2 limits are set deliberately: at most {@code max-concurrent-streams} streams at once, a
 * {@code http2-stream-window} receive window per stream (a stream whose {@link FrontHandler} stops reading
 * for back-pressure stops granting window, so the client waits), a header list no larger than HTTP/1.1's
 * 16 KiB head allows (plus HPACK's 32 bytes per field). Netty's defaults guard the rest: floods of
 * RST_STREAM (rapid reset), empty DATA, small CONTINUATION or control frames end the connection.
 */
final class ClientPipelines {
    /** The HTTP/1.1 head limit the header list matches: see {@code Http1Decoder}. */
    private static final int HEAD_BYTES = 16 * 1024;
    /** How long a closing HTTP/2 connection waits for its streams in flight (Netty's documented default). */
    private static final long GRACEFUL_CLOSE_MILLIS = 30_000;
    private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(Http2CodecUtil.connectionPrefaceBuf());

    private final Loop loop;
    private final Limits limits;
    private final Http2Options http2;
    /** Stateless and shared by every stream: HTTP/1.1 answers out as HTTP/2 frames. */
    private final Http2StreamFrameToHttpObjectCodec toFrames = new Http2StreamFrameToHttpObjectCodec(true, false);

    ClientPipelines(Loop loop, Limits limits, Http2Options http2) {
        this.loop = loop;
        this.limits = limits;
        this.http2 = http2;
    }

    /** Appends the HTTP/1.1 handlers. */
    void http1(ChannelPipeline p) {
        FrontHandler front = new FrontHandler(loop);
        p.addLast("decoder", new ClientCodec.Decoder(limits.maxHeaderCount()))
                .addLast("encoder", new ClientCodec.Encoder(front::answeringHead))
                .addLast("proxy", front);
    }

    /** Appends the HTTP/2 handlers. */
    void http2(ChannelPipeline p) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(http2.maxConcurrentStreams())
                .initialWindowSize(http2.streamWindow())
                .maxHeaderListSize(HEAD_BYTES + 32L * limits.maxHeaderCount());
        Http2Front front = new Http2Front(loop);
        p.addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(settings).validateHeaders(true)
                        // Netty's server default is 0: a drain's GOAWAY would cut the streams in flight. The drain's
                        // own grace (ramp.shutdown-grace) closes what is left; this only bounds a lone close.
                        .gracefulShutdownTimeoutMillis(GRACEFUL_CLOSE_MILLIS).build())
                .addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast("request", new Http2Requests(limits.maxHeaderCount()))
                                .addLast("frames", toFrames)
                                .addLast("proxy", new FrontHandler(loop, front))
                                .addLast("flush", front.deferredFlush);
                    }
                }))
                .addLast("proxy", front);
    }

    /** After the TLS handshake: HTTP/2 when the client chose {@code h2} by ALPN, else HTTP/1.1. */
    ApplicationProtocolNegotiationHandler alpn() {
        return new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    http2(ctx.pipeline());
                } else {
                    http1(ctx.pipeline());
                }
            }

            @Override
            protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // as before ALPN: a failed handshake is the client's problem, not a log line
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // a client reset before the protocol was chosen: nothing to answer, nothing to log
            }
        };
    }

    /** On a plain listener with h2c: the connection preface starts HTTP/2, anything else HTTP/1.1. */
    ByteToMessageDecoder sniffPreface() {
        return new ByteToMessageDecoder() {
            private ScheduledFuture<?> timeout;

            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                // Until the first bytes decide, no handler sweeps this connection: the header timeout is its own.
                timeout = ctx.executor().schedule(() -> {
                    ctx.close();
                }, limits.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
                if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n)) {
                    switchTo(ctx, false);
                } else if (n == PREFACE.readableBytes()) {
                    switchTo(ctx, true);
                }
            }

            @Override
            protected void handlerRemoved0(ChannelHandlerContext ctx) {
                timeout.cancel(false);
            }

            private void switchTo(ChannelHandlerContext ctx, boolean h2) {
                if (h2) {
                    http2(ctx.pipeline());
                } else {
                    http1(ctx.pipeline());
                }
                ctx.pipeline().remove(this); // what was read goes on to the handlers just added
            }
        };
    }

    /** Whether {@code ch} is an HTTP/2 stream, not a connection. */
    static boolean isStream(Channel ch) {
        return ch instanceof Http2StreamChannel;
    }
}
