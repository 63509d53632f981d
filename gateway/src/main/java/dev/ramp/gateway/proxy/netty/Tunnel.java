package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Timeouts;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.http1.ClientCodec;
import dev.ramp.gateway.routing.Version;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upgraded connection (WebSocket): once the upstream answered an upgrade request with 101, the client
 * connection and that request's own upstream connection stop speaking HTTP and their bytes are piped both ways
 * as they are, until either side closes; then the other is closed once what it was sent is flushed.
 *
 * <p>The HTTP codecs leave both pipelines; each decoder held the bytes that followed the upgrade request (the
 * client's) or the 101 (the upstream's), and hands them on as it is removed, so they arrive first and in order.
 * Back-pressure as elsewhere on the data path: a side that cannot take more stops the other side's reads until
 * it drains. The loop's sweep closes a tunnel with no bytes either way for {@code timeouts.tunnel-idle}, or
 * older than {@code timeouts.tunnel-max}, and a canary tunnel when its route is reverted (so its client
 * reconnects, to stable). The upstream connection was opened for this request alone and is never pooled.
 * Confined to the event loop.
 */
final class Tunnel {
    private static final Logger log = LoggerFactory.getLogger(Tunnel.class);

    private final Loop loop;
    private final Channel client;
    private final Channel upstream;
    private final LiveRoute route;
    private final Version version;
    /** A canary tunnel opened on a route not reverted then: a revert closes it (its user's version changed). */
    private final boolean closeOnRevert;
    private final long idleNanos;
    private final long maxNanos;
    private final long opened;
    private long lastActivity;
    private boolean closing;

    private Tunnel(Loop loop, Channel client, Channel upstream, LiveRoute route, Version version) {
        Timeouts t = route.config().timeouts();
        this.loop = loop;
        this.client = client;
        this.upstream = upstream;
        this.route = route;
        this.version = version;
        // Not one opened on a reverted route (a trusted override asked for the canary): it would reconnect to it.
        this.closeOnRevert = version == Version.CANARY && !route.reverted();
        // The loop's coarse clock may lag by one sweep period: added, so the timeouts never fire early.
        this.idleNanos = t.tunnelIdle().toNanos() + Loop.SWEEP_NANOS;
        this.maxNanos = t.tunnelMax().toNanos() + Loop.SWEEP_NANOS;
        this.opened = loop.now();
        this.lastActivity = opened;
    }

    /**
     * The forwarded upgrade request keeps what asked for the upgrade, which the hop-by-hop rewrite dropped:
     * {@code Connection: upgrade} and the client's {@code Upgrade} value. The response to the client gets the
     * same for the upstream's {@code Upgrade} value ({@code protocol}, or the request's when it sent none).
     */
    static void keepUpgrade(HttpMessage m, String protocol) {
        HttpHeaders h = m.headers();
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (protocol != null) {
            h.set(HttpHeaderNames.UPGRADE, protocol);
        }
    }

    /**
     * Relays the 101 head {@code answer} (already rewritten for the client), then turns both connections into
     * a tunnel: {@code clientDecoder} held the client's bytes after the upgrade request, the upstream's
     * decoder those after the 101.
     */
    static Tunnel open(FrontHandler front, ChannelHandler clientDecoder, UpstreamConnection up,
                       HttpResponse answer, LiveRoute route, Version version) {
        Channel client = front.channel();
        Channel upstream = up.channel;
        Tunnel t = new Tunnel(front.loop(), client, upstream, route, version);
        client.writeAndFlush(answer, client.voidPromise());
        // The encoders go first: from here on only bytes are written, and they must not be framed as HTTP.
        client.pipeline().remove(ClientCodec.Encoder.class);
        upstream.pipeline().remove(ClientCodec.RequestEncoder.class);
        // Replacing a decoder passes the bytes it held to the handler that takes its place.
        upstream.pipeline().replace(up.decoder, "tunnel", t.new Side(upstream, client));
        client.pipeline().replace(clientDecoder, "tunnel", t.new Side(client, upstream));
        client.config().setAutoRead(upstream.isWritable());
        upstream.config().setAutoRead(client.isWritable());
        log.debug("route={} version={} tunnel opened", route.name(), version.tag());
        return t;
    }

    /**
     * Called by the loop's sweep: closes the tunnel when it was idle or has lived too long, or its canary was
     * reverted. The timeouts also end a side left waiting to flush to a peer that stopped reading after the
     * other side closed.
     */
    void sweep(long now) {
        if (now - lastActivity > idleNanos) {
            close("no bytes either way for timeouts.tunnel-idle");
        } else if (now - opened > maxNanos) {
            close("open for timeouts.tunnel-max");
        } else if (!closing && closeOnRevert && route.reverted()) {
            close("the route was reverted; the client reconnects to stable");
        }
    }

    /** Closes both sides now (timeouts, drain). */
    void close(String why) {
        if (!closing) {
            closing = true;
            log.debug("route={} version={} tunnel closed: {}", route.name(), version.tag(), why);
        }
        client.close();
        upstream.close();
    }

    /** One connection's end of the tunnel: what it reads is written to the other, which it closes after itself. */
    private final class Side extends ChannelInboundHandlerAdapter {
        private final Channel self;
        private final Channel other;
        private boolean flushPending;

        Side(Channel self, Channel other) {
            this.self = self;
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf b) || !b.isReadable()) {
                ReferenceCountUtil.release(msg); // the end marker of a bodiless HTTP message, left by its decoder
                return;
            }
            lastActivity = loop.now();
            other.write(b, other.voidPromise());
            flushPending = true;
            if (!other.isWritable()) {
                self.config().setAutoRead(false); // until the other side drains (channelWritabilityChanged)
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (flushPending) {
                flushPending = false;
                other.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (self.isWritable()) {
                other.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closing) {
                closing = true;
                log.debug("route={} version={} tunnel closed by the {}", route.name(), version.tag(),
                        self == client ? "client" : "upstream");
            }
            if (other.isActive()) {
                other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireChannelInactive(); // the client connection's own handler counts it closed
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset: channelInactive closes the other side
        }
    }
}
