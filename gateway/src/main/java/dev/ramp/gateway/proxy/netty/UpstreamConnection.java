package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.http1.Headers;
import dev.ramp.gateway.proxy.http1.UpstreamResponseDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive connection to an upstream origin, on the event loop of the client connections it serves.
 * Used by one exchange at a time (no pipelining); between exchanges it waits in its loop's pool. Passes the
 * upstream's response to its exchange and flushes what that wrote to the client once per read burst.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    final Loop loop;
    final String key;
    final Channel channel;
    /** Opened for one upgrade request, outside the pool's limit: never pooled ({@link Loop#connectDedicated}). */
    final boolean dedicated;
    /** Relays the response of the exchange this connection serves to its client. */
    final Relay relay = new Relay(this);
    /** This connection's response decoder, first in its pipeline. */
    final UpstreamResponseDecoder decoder;
    /** The exchange this connection serves now, or null while pooled or draining. */
    private Exchange exchange;
    /** Reading the rest of a discarded response so the connection can be pooled again. */
    private boolean draining;
    /** Whether the upstream keeps the connection open after the current response. */
    private boolean keepAlive;
    private long idleSince;
    private long lastActivity;
    /** Why the connection failed, when known (read by the exchange on close). */
    private Throwable cause;
    /** A client channel written to in this read burst, flushed at its end. */
    private Channel pendingClientFlush;

    UpstreamConnection(Loop loop, String key, Channel channel, boolean dedicated) {
        this.loop = loop;
        this.key = key;
        this.channel = channel;
        this.dedicated = dedicated;
        this.decoder = new UpstreamResponseDecoder(this::headPending);
    }

    /**
     * Whether the connection may serve another exchange: nothing the upstream sent is left unread, and its last
     * response was framed soundly. Bytes after a complete response (a body after a HEAD, 204 or 304 answer, or
     * anything unasked) would otherwise be read as the next client's response.
     */
    boolean clean() {
        return !decoder.holdsBytes() && !decoder.faultyFraming();
    }

    /** Flushes {@code client} at the end of this read burst (the previous one now, if it was another). */
    void flushClientLater(Channel client) {
        Channel c = pendingClientFlush;
        if (c != client) {
            if (c != null) {
                c.flush();
            }
            pendingClientFlush = client;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = loop.now();
        Exchange e = exchange;
        if (e != null) {
            e.onUpstream(this, msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (draining) {
            if (msg instanceof HttpResponse r && r.decoderResult().isFailure()) {
                draining = false;
                channel.close();
            } else if (msg instanceof LastHttpContent) {
                draining = false;
                if (keepAlive) {
                    loop.release(this);
                } else {
                    channel.close();
                }
            }
            return;
        }
        // Bytes on an idle pooled connection: the upstream is not speaking HTTP/1.1 keep-alive as we expect.
        channel.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushClient();
    }

    /** The read burst ended: a head still held for the exchange's client is written, the client flushed. */
    private void flushClient() {
        Exchange e = exchange;
        if (e != null) {
            relay.emitPendingHead(e.client());
        }
        Channel c = pendingClientFlush;
        if (c != null) {
            pendingClientFlush = null;
            c.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = exchange;
        if (e != null) {
            e.upstreamWritabilityChanged(channel.isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flushClient();
        Exchange e = exchange;
        if (e != null) {
            exchange = null;
            e.upstreamClosed(this, cause);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        ctx.close();
    }

    /** Whether the response now arriving answers a HEAD request (then it has no body). */
    boolean headPending() {
        Exchange e = exchange;
        return e != null && e.isHead();
    }

    /** Starts serving {@code e}: whatever the connection did before (draining, a failure) is over. */
    void attach(Exchange e) {
        exchange = e;
        draining = false;
        cause = null;
        lastActivity = loop.now();
        relay.reset();
    }

    /** The exchange gives up on this connection ({@code why}: the reason): detached and closed. */
    void fail(Throwable why) {
        if (cause == null) {
            cause = why;
        }
        exchange = null;
        channel.close();
    }

    /** The exchange turned this connection into a {@link Tunnel}: it serves no exchange any more. */
    void tunnelled() {
        exchange = null;
    }

    /** Whether the upstream keeps the connection open after the current response. */
    boolean keepAlive() {
        return keepAlive;
    }

    void keepAlive(boolean value) {
        keepAlive = value;
    }

    /** Traffic went through this connection at {@code now} (for its idle timeout). */
    void touch(long now) {
        lastActivity = now;
    }

    /** Whether no traffic went through for more than {@code nanos} (0: no idle timeout) by {@code now}. */
    boolean idleLongerThan(long nanos, long now) {
        return nanos > 0 && now - lastActivity > nanos;
    }

    /** Back in its loop's pool at {@code now}. */
    void pooled(long now) {
        idleSince = now;
    }

    long idleSince() {
        return idleSince;
    }

    /** The exchange is done with this connection: back to the pool when it can serve another, else closed. */
    void finish(boolean reusable) {
        exchange = null;
        if (reusable) {
            loop.release(this);
        } else {
            channel.close();
        }
    }

    /**
     * The exchange throws away the answer whose head {@code r} is (a canary answer replaced by stable's). A
     * whole answer or a short announced body keeps the connection: the rest is read and dropped, then it is
     * pooled again.
     *
     * @param requestSent whether the whole request reached the upstream (else the connection is out of step)
     */
    void discardAnswer(HttpResponse r, boolean requestSent) {
        String length = r.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        boolean reusable = Headers.keepAlive(r) && requestSent;
        boolean whole = r instanceof LastHttpContent; // its body came with it
        ReferenceCountUtil.release(r);
        exchange = null;
        if (whole && reusable) {
            keepAlive = true;
            loop.release(this);
        } else if (reusable && length != null && length.length() < 6) {
            keepAlive = true;
            draining = true; // read to its end, then pooled again
        } else {
            channel.close();
        }
    }
}
