package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.proxy.Failures;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.TimeUnit;

/**
 * Gets one attempt of an {@link Exchange} an upstream connection when its loop had none idle: opens one, or,
 * when the loop already has {@code max-upstream-connections} to that origin, waits in line
 * ({@link OriginPools}) for the next that comes back clean or the slot of the next that closes, at most
 * {@code upstream-wait}. Made only on that path, so a request served from the pool allocates none. Hands its
 * result to {@link Exchange#connected} exactly once, unless cancelled first. Confined to the event loop.
 */
final class Connector implements ChannelFutureListener {
    private final Exchange exchange;
    private final Loop loop;
    private final Upstream upstream;
    private final String key;
    private final int connectTimeoutMillis;
    /** A connection of its own, outside the pool and its limit (an upgrade request's). */
    private final boolean dedicated;
    private boolean waiting;
    private long waitDeadline;
    private boolean cancelled;

    Connector(Exchange exchange, Loop loop, Upstream upstream, String key, int connectTimeoutMillis,
              boolean dedicated) {
        this.dedicated = dedicated;
        this.exchange = exchange;
        this.loop = loop;
        this.upstream = upstream;
        this.key = key;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Opens a connection, or joins the line for one. */
    void start() {
        ChannelFuture f = dedicated ? loop.connectDedicated(upstream, key, connectTimeoutMillis)
                : loop.connect(upstream, key, connectTimeoutMillis);
        if (f == null) {
            waiting = true;
            waitDeadline = loop.now() + Loop.SWEEP_NANOS + loop.upstreamWaitNanos;
            loop.await(key, this);
            return;
        }
        f.addListener(this);
    }

    /** Whether it is still in line for a connection. */
    boolean waiting() {
        return waiting;
    }

    /** Its turn came: {@code u} is a clean connection handed over, or null for the slot to open one. */
    void free(UpstreamConnection u) {
        waiting = false;
        if (u == null) {
            start();
        } else {
            exchange.connected(this, u, null);
        }
    }

    /** The connect completed. */
    @Override
    public void operationComplete(ChannelFuture f) {
        UpstreamConnection fresh = f.isSuccess() ? (UpstreamConnection) f.channel().pipeline().get("upstream") : null;
        if (cancelled) {
            if (fresh != null) {
                loop.release(fresh); // nobody wants it now, but it is still a good connection
            }
            return;
        }
        exchange.connected(this, fresh, f.cause());
    }

    /**
     * Called by the loop's sweep: when the wait is over, leaves the line and hands the exchange the failure
     * (its attempt was never sent). Returns whether it did.
     */
    boolean expireWait(long now) {
        if (!waiting || cancelled || now - waitDeadline < 0) {
            return false;
        }
        waiting = false;
        loop.stopWaiting(key, this);
        exchange.connected(this, null, new Failures.NoFreeConnection(loop.openTo(key),
                TimeUnit.NANOSECONDS.toMillis(loop.upstreamWaitNanos)));
        return true;
    }

    /** The exchange wants no connection any more (its client left): out of the line, a late connect pooled. */
    void cancel() {
        cancelled = true;
        if (waiting) {
            waiting = false;
            loop.stopWaiting(key, this);
        }
    }
}
