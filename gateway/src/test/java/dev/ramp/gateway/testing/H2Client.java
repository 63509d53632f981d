package dev.ramp.gateway.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client with prior knowledge (h2c) on Netty's frame codec, for what java.net.http cannot do: h2c
 * without an upgrade, resetting a stream, watching for GOAWAY and the server's SETTINGS.
 */
public final class H2Client implements AutoCloseable {
    /** One stream's answer: the response head, the body, and the reset code if the server reset it. */
    public record Answer(Http2Headers head, byte[] body, Long resetCode) {
        public int status() {
            return head == null ? 0 : Integer.parseInt(head.status().toString());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;
    public final CompletableFuture<Http2GoAwayFrame> goAway = new CompletableFuture<>();
    public final CompletableFuture<io.netty.handler.codec.http2.Http2Settings> settings = new CompletableFuture<>();

    public H2Client(int port) throws InterruptedException {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof Http2GoAwayFrame g) {
                                            goAway.complete(g.retain());
                                        } else if (msg instanceof Http2SettingsFrame s) {
                                            settings.complete(s.settings());
                                        }
                                        io.netty.util.ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
    }

    /** Opens a stream that sends {@code head} (and {@code body} when not null) and collects the answer. */
    public Stream open(Http2Headers head, byte[] body) throws InterruptedException {
        Stream s = new Stream();
        Http2StreamChannel ch = new Http2StreamChannelBootstrap(connection).handler(s).open().sync().getNow();
        s.channel = ch;
        ch.write(new DefaultHttp2HeadersFrame(head, body == null));
        if (body != null) {
            ch.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        ch.flush();
        return s;
    }

    /** A GET to {@code path} with {@code authority}, and extra header pairs. */
    public static Http2Headers head(String authority, String path, String... pairs) {
        Http2Headers h = new DefaultHttp2Headers().method("GET").scheme("http").authority(authority).path(path);
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    /** Sends GET and waits for the whole answer. */
    public Answer get(String authority, String path, String... pairs) throws Exception {
        return open(head(authority, path, pairs), null).answer.get(10, TimeUnit.SECONDS);
    }

    public boolean isOpen() {
        return connection.isActive();
    }

    @Override
    public void close() {
        connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** One stream: its answer completes at the end of the stream or on a reset. */
    public static final class Stream extends ChannelInboundHandlerAdapter {
        public final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http2Headers head;
        Http2StreamChannel channel;

        /** Resets the stream (RST_STREAM CANCEL), as a client that gives up. */
        public void reset() {
            channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame f) {
                if (head == null || head.status() != null && head.status().charAt(0) == '1') {
                    head = f.headers();
                }
                if (f.isEndStream()) {
                    answer.complete(new Answer(head, body.toByteArray(), null));
                }
            } else if (msg instanceof Http2DataFrame d) {
                ByteBuf b = d.content();
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                body.writeBytes(bytes);
                if (d.isEndStream()) {
                    answer.complete(new Answer(head, body.toByteArray(), null));
                }
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame r) {
                answer.complete(new Answer(head, body.toByteArray(), r.errorCode()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.complete(new Answer(head, body.toByteArray(), -1L)); // closed without an end: -1
        }
    }
}
