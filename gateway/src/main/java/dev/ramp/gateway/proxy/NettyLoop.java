package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Netty event loop's share of the traffic listener: its client connections, its keep-alive pools to
 * upstream origins (like an nginx worker's upstream keepalive cache) and one periodic sweep that enforces
 * every timeout, so no request schedules a timer. Confined to its event loop: nothing here is thread-safe
 * except {@link #openConnections()}.
 */
final class NettyLoop {
    /** How often timeouts are checked: their resolution. */
    static final long SWEEP_MILLIS = 50;
    /** A pooled upstream connection idle this long is closed (Vert.x's keep-alive timeout). */
    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
    static final long POOL_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    final EventLoop loop;
    final Supplier<RoutingSnapshot> snapshot;
    final ProxyObserver observer;
    final long clientIdleNanos;
    private final Bootstrap upstreams;
    private final Map<String, ArrayDeque<NettyUpstream>> pools = new HashMap<>();
    private final Set<NettyFrontHandler> connections = new HashSet<>();
    private NettyFrontHandler[] sweepScratch = new NettyFrontHandler[64];
    private volatile int open;
    boolean shuttingDown;
    /**
     * A coarse clock (System.nanoTime at the last sweep) for idle bookkeeping and deadlines, so the hot path
     * reads a field instead of the clock; deadlines add one sweep period so they never fire early.
     */
    long clock = System.nanoTime();

    NettyLoop(EventLoop loop, Bootstrap upstreams, Supplier<RoutingSnapshot> snapshot, ProxyObserver observer,
              long clientIdleMillis) {
        this.loop = loop;
        this.upstreams = upstreams;
        this.snapshot = snapshot;
        this.observer = observer;
        this.clientIdleNanos = TimeUnit.MILLISECONDS.toNanos(clientIdleMillis);
    }

    void startSweeping() {
        loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    int openConnections() {
        return open;
    }

    void opened(NettyFrontHandler c) {
        connections.add(c);
        open = connections.size();
    }

    void closed(NettyFrontHandler c) {
        connections.remove(c);
        open = connections.size();
    }

    /** An idle pooled connection to {@code upstream}'s origin, or null. */
    NettyUpstream acquire(String key) {
        ArrayDeque<NettyUpstream> pool = pools.get(key);
        if (pool == null) {
            return null;
        }
        NettyUpstream u;
        while ((u = pool.pollLast()) != null) {
            if (u.channel.isActive()) {
                return u;
            }
        }
        return null;
    }

    /** Takes back a connection whose last exchange ended cleanly. */
    void release(NettyUpstream u) {
        if (shuttingDown || !u.channel.isActive()) {
            u.channel.close();
            return;
        }
        u.idleSince = clock;
        if (!u.channel.config().isAutoRead()) {
            u.channel.config().setAutoRead(true);
        }
        pools.computeIfAbsent(u.key, k -> new ArrayDeque<>()).offerLast(u);
    }

    /** Opens a new connection to {@code upstream} on this loop. */
    ChannelFuture connect(Upstream upstream, String key, int connectTimeoutMillis) {
        Bootstrap b = upstreams.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        NettyUpstream u = new NettyUpstream(NettyLoop.this, key, ch);
                        ch.pipeline().addLast("decoder", new UpstreamResponseDecoder(u))
                                .addLast("encoder", new ClientCodec.RequestEncoder())
                                .addLast("upstream", u);
                    }
                });
        return b.connect(InetSocketAddress.createUnresolved(upstream.host(), upstream.port()));
    }

    /** Drops pools of origins no longer configured. */
    void retain(Set<String> keys) {
        pools.entrySet().removeIf(e -> {
            if (keys.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(u -> u.channel.close());
            return true;
        });
    }

    /** Stops keep-alive: idle client connections close now, busy ones after their response. */
    void beginShutdown() {
        shuttingDown = true;
        for (NettyFrontHandler c : snapshotConnections()) {
            if (c != null) {
                c.closeWhenIdle();
            }
        }
        pools.values().forEach(p -> p.forEach(u -> u.channel.close()));
        pools.clear();
    }

    /** Closes whatever is still open after the grace. */
    void closeAll() {
        for (NettyFrontHandler c : snapshotConnections()) {
            if (c != null) {
                c.channel().close();
            }
        }
    }

    private NettyFrontHandler[] snapshotConnections() {
        int n = connections.size();
        if (sweepScratch.length < n + 1) {
            sweepScratch = new NettyFrontHandler[Integer.highestOneBit(n) * 2 + 2];
        }
        NettyFrontHandler[] a = connections.toArray(sweepScratch);
        if (a.length > n) {
            a[n] = null;
        }
        return a;
    }

    /** Enforces client idle, response and upstream idle timeouts and expires idle pooled connections. */
    private void sweep() {
        long now = System.nanoTime();
        clock = now;
        NettyFrontHandler[] a = snapshotConnections();
        for (int i = 0; i < a.length && a[i] != null; i++) {
            a[i].sweep(now);
            a[i] = null;
        }
        for (ArrayDeque<NettyUpstream> pool : pools.values()) {
            for (Iterator<NettyUpstream> it = pool.iterator(); it.hasNext(); ) {
                NettyUpstream u = it.next();
                if (!u.channel.isActive() || now - u.idleSince > POOL_IDLE_NANOS) {
                    it.remove();
                    u.channel.close();
                }
            }
        }
    }
}
