package dev.ramp.gateway.proxy.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/2 client connection, last on its pipeline (after Netty's frame codec and stream multiplexer): it
 * is what the {@link Loop} sweeps and drains. Each stream has a {@link FrontHandler} of its own on a child
 * channel, registered here; the sweep reaches them through this connection. A connection with no stream
 * open for the client idle timeout is closed, as is one that never opens a stream within the header timeout
 * (a client that connects and sends nothing). Draining closes the connection gracefully: Netty sends GOAWAY
 * naming the last stream taken, the streams in flight finish, then the connection closes. Confined to its
 * event loop.
 */
final class Http2Front extends ClientHandler implements Loop.Client {
    private final Loop loop;
    private final List<FrontHandler> streams = new ArrayList<>(4);
    private FrontHandler[] scratch = new FrontHandler[4];
    private Channel ch;
    /** When the last stream closed (or the connection opened): the idle timeout counts from here. */
    private long idleSince;
    private boolean anyStream;
    /** A connection flush is queued behind this loop iteration's I/O. */
    private boolean flushQueued;
    private final Runnable flush = () -> {
        flushQueued = false;
        ch.flush();
    };
    /** Last on each stream's pipeline: a stream's flush becomes one connection flush per loop iteration. */
    final ChannelOutboundHandlerAdapter deferredFlush = new DeferredFlush();

    Http2Front(Loop loop) {
        this.loop = loop;
    }

    @Override
    public Channel channel() {
        return ch;
    }

    @Override
    void activate(ChannelHandlerContext ctx) {
        ch = ctx.channel();
        idleSince = System.nanoTime();
        loop.opened(this);
        if (loop.shuttingDown()) {
            ch.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loop.closed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // the codec has already answered a protocol error with GOAWAY; a reset client is gone
    }

    /**
     * Answers relayed from several upstream connections in one loop iteration leave in one write (one TLS
     * record run, one syscall) instead of one each: the flush runs after the iteration's I/O.
     */
    void flushSoon() {
        if (!flushQueued) {
            flushQueued = true;
            ch.eventLoop().execute(flush);
        }
    }

    @ChannelHandler.Sharable
    private final class DeferredFlush extends ChannelOutboundHandlerAdapter {
        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushSoon(); // a stream's frames are already in the connection's pipeline; only its flush waits
        }
    }

    void opened(FrontHandler stream) {
        streams.add(stream);
        anyStream = true;
    }

    void closed(FrontHandler stream) {
        streams.remove(stream);
        if (streams.isEmpty()) {
            idleSince = loop.now();
        }
    }

    /** Open streams (for tests and the drain). */
    int streams() {
        return streams.size();
    }

    @Override
    public void sweep(long now) {
        int n = streams.size();
        if (n > 0) {
            if (scratch.length < n) {
                scratch = new FrontHandler[Integer.highestOneBit(n) * 2];
            }
            FrontHandler[] a = streams.toArray(scratch); // a stream's sweep may close it, changing the list
            for (int i = 0; i < n; i++) {
                a[i].sweep(now);
                a[i] = null;
            }
            return;
        }
        long limit = anyStream ? loop.clientIdleNanos : loop.headerTimeoutNanos;
        if (limit > 0 && now - idleSince > limit) {
            ch.close(); // GOAWAY, then closed: nothing is in flight
        }
    }

    /** GOAWAY now; the streams in flight finish (up to the drain's grace), then the connection closes. */
    @Override
    public void closeWhenIdle() {
        ch.close();
    }
}
