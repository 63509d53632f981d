package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Limits;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.http1.ClientCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * One Netty event loop's share of the traffic listener: its client connections, its keep-alive pools to
 * upstream origins (like an nginx worker's upstream keepalive cache) and one periodic sweep that enforces
 * every timeout, so no request schedules a timer. Confined to its event loop: nothing here is thread-safe
 * except {@link #openConnections()}.
 */
final class Loop {
    /**
     * A client connection the loop sweeps and drains: an HTTP/1.1 {@link FrontHandler} or an HTTP/2
     * {@link Http2Front} (which sweeps its streams' handlers in turn).
     */
    interface Client {
        Channel channel();

        /** Enforces the connection's timeouts at {@code now} (the loop's clock). */
        void sweep(long now);

        /** The gateway drains: close once in-flight requests are answered. */
        void closeWhenIdle();
    }

    /** How often timeouts are checked: their resolution. */
    static final long SWEEP_MILLIS = 50;
    /** A pooled upstream connection idle this long is closed (Vert.x's keep-alive timeout). */
    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
    static final long POOL_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    final EventLoop loop;
    final Supplier<RoutingSnapshot> snapshot;
    final long clientIdleNanos;
    /** The whole request head must arrive within this; a request body may pause no longer than this. */
    final long headerTimeoutNanos;
    final long bodyTimeoutNanos;
    /** The listener's connection limits, shared by every loop. */
    final ConnectionLimits connectionLimits;
    private final Bootstrap upstreams;
    /** The client TLS contexts for https upstreams, shared by every loop. */
    private final UpstreamTls upstreamTls;
    private final OriginPools pools;
    /** How long an attempt waits for a connection when the loop has its most open to that origin. */
    final long upstreamWaitNanos;
    /** Whether the listener terminates TLS: its clients came over https (X-Forwarded-Proto). */
    final boolean secure;
    private final Set<Client> connections = new HashSet<>();
    /** Sends this loop's dark-launch copies to canaries, over connections of its own. */
    final MirrorClient mirrors = new MirrorClient(this);
    private Client[] sweepScratch = new Client[64];
    private volatile int open;
    private boolean shuttingDown;
    /**
     * A coarse clock (System.nanoTime at the last sweep) for idle bookkeeping and deadlines, so the hot path
     * reads a field instead of the clock; deadlines add one sweep period so they never fire early.
     */
    private long clock = System.nanoTime();

    Loop(EventLoop loop, Bootstrap upstreams, Supplier<RoutingSnapshot> snapshot, long clientIdleMillis,
         Limits limits, ConnectionLimits connectionLimits, boolean secure, UpstreamTls upstreamTls) {
        this.upstreamTls = upstreamTls;
        this.secure = secure;
        this.connectionLimits = connectionLimits;
        this.pools = new OriginPools(limits.maxUpstreamConnections());
        this.upstreamWaitNanos = limits.upstreamWait().toNanos();
        this.headerTimeoutNanos = limits.headerTimeout().toNanos();
        this.bodyTimeoutNanos = limits.bodyTimeout().toNanos();
        this.loop = loop;
        this.upstreams = upstreams;
        this.snapshot = snapshot;
        this.clientIdleNanos = TimeUnit.MILLISECONDS.toNanos(clientIdleMillis);
    }

    /** The coarse clock: {@code System.nanoTime()} at the last sweep. */
    long now() {
        return clock;
    }

    /** Whether the gateway is draining: no new keep-alive, no pooling. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    void startSweeping() {
        loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    int openConnections() {
        return open;
    }

    void opened(Client c) {
        connections.add(c);
        open = connections.size();
    }

    void closed(Client c) {
        connections.remove(c);
        open = connections.size();
    }

    /** An idle pooled connection to the origin {@code key}, or null. */
    UpstreamConnection acquire(String key) {
        return pools.acquire(key);
    }

    /** Takes back a connection whose last exchange ended cleanly: to an exchange waiting for one, or pooled. */
    void release(UpstreamConnection u) {
        if (u.dedicated || shuttingDown || !u.channel.isActive() || !u.clean()) {
            u.channel.close();
            return;
        }
        if (!u.channel.config().isAutoRead()) {
            u.channel.config().setAutoRead(true);
        }
        pools.release(u, clock);
    }

    /** Queues {@code c} for the next connection to {@code key} that comes free. */
    void await(String key, Connector c) {
        pools.await(key, c);
    }

    /** {@code c} waits no more (timed out, or its client left). */
    void stopWaiting(String key, Connector c) {
        pools.stopWaiting(key, c);
    }

    /** How many connections to {@code key} this loop has open, connecting ones included. */
    int openTo(String key) {
        return pools.open(key);
    }

    /**
     * Opens a new connection to {@code upstream} on this loop, or returns null when the loop already has
     * {@code max-upstream-connections} to that origin: then the caller waits ({@link #await}).
     */
    ChannelFuture connect(Upstream upstream, String key, int connectTimeoutMillis) {
        OriginPools.Origin origin = pools.tryOpen(key);
        if (origin == null) {
            return null;
        }
        ChannelFuture f = open(upstream, key, connectTimeoutMillis, false);
        // A failed connect closes the channel too: every counted connection is counted out exactly once.
        f.channel().closeFuture().addListener(closed -> pools.closed(origin));
        return f;
    }

    /**
     * Opens a connection to {@code upstream} for one upgrade request (a WebSocket), outside the pool and its
     * limit: it becomes a tunnel that may live for hours, or closes after a refusal, and is never pooled.
     * Counting it against {@code max-upstream-connections} would let long-lived tunnels starve the
     * origin's ordinary requests, which would wait for a slot that no tunnel gives back.
     */
    ChannelFuture connectDedicated(Upstream upstream, String key, int connectTimeoutMillis) {
        return open(upstream, key, connectTimeoutMillis, true);
    }

    private ChannelFuture open(Upstream upstream, String key, int connectTimeoutMillis, boolean dedicated) {
        Bootstrap b = upstreams.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws SSLException {
                        UpstreamConnection u = new UpstreamConnection(Loop.this, key, ch, dedicated);
                        if (upstream.ssl()) {
                            // The handshake gets as long as the TCP connect had.
                            ch.pipeline().addLast("tls", upstreamTls.newHandler(ch.alloc(), upstream,
                                    connectTimeoutMillis));
                        }
                        ch.pipeline().addLast("decoder", u.decoder)
                                .addLast("encoder", new ClientCodec.RequestEncoder())
                                .addLast("upstream", u);
                    }
                });
        ChannelFuture connected = b.connect(InetSocketAddress.createUnresolved(upstream.host(), upstream.port()));
        return upstream.ssl() ? handshaken(connected) : connected;
    }

    /**
     * Opens a connection for dark-launch copies to {@code upstream} ({@link MirrorClient}): outside the pools
     * and their limit, never given to an exchange; {@code handler} reads its answers after Netty's HTTP codec.
     */
    ChannelFuture connectMirror(Upstream upstream, int connectTimeoutMillis, ChannelHandler handler) {
        Bootstrap b = upstreams.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws SSLException {
                        if (upstream.ssl()) {
                            ch.pipeline().addLast("tls", upstreamTls.newHandler(ch.alloc(), upstream,
                                    connectTimeoutMillis));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec()).addLast("mirror", handler);
                    }
                });
        ChannelFuture connected = b.connect(InetSocketAddress.createUnresolved(upstream.host(), upstream.port()));
        return upstream.ssl() ? handshaken(connected) : connected;
    }

    /**
     * A future that completes when the TCP connect and then the TLS handshake have: a certificate that is not
     * trusted or does not match fails the attempt as a connect failure, before any byte of the request is sent
     * (so a canary may still fall back to stable).
     */
    private static ChannelFuture handshaken(ChannelFuture connected) {
        Channel ch = connected.channel();
        ChannelPromise done = ch.newPromise();
        connected.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                done.tryFailure(f.cause());
                return;
            }
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null) { // the channel initializer failed and closed it
                done.tryFailure(new SSLException("no TLS handler on the upstream connection"));
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    done.trySuccess();
                } else {
                    done.tryFailure(h.cause());
                    ch.close();
                }
            });
        });
        return done;
    }

    /** Drops pools of origins no longer configured. */
    void retain(Set<String> keys) {
        pools.retain(keys);
        mirrors.retain(keys);
    }

    /** Stops keep-alive: idle client connections close now, busy ones after their response. */
    void beginShutdown() {
        shuttingDown = true;
        for (Client c : snapshotConnections()) {
            if (c != null) {
                c.closeWhenIdle();
            }
        }
        pools.closeIdle();
    }

    /** Closes whatever is still open after the grace. */
    void closeAll() {
        for (Client c : snapshotConnections()) {
            if (c != null) {
                c.channel().close();
            }
        }
    }

    private Client[] snapshotConnections() {
        int n = connections.size();
        if (sweepScratch.length < n + 1) {
            sweepScratch = new Client[Integer.highestOneBit(n) * 2 + 2];
        }
        Client[] a = connections.toArray(sweepScratch);
        if (a.length > n) {
            a[n] = null;
        }
        return a;
    }

    /** Enforces client idle, response and upstream idle timeouts and expires idle pooled connections. */
    private void sweep() {
        long now = System.nanoTime();
        clock = now;
        Client[] a = snapshotConnections();
        for (int i = 0; i < a.length && a[i] != null; i++) {
            a[i].sweep(now);
            a[i] = null;
        }
        pools.expire(now, POOL_IDLE_NANOS);
    }
}
