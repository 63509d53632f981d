package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Http2Options;
import dev.ramp.gateway.config.Limits;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic listener: its own event loops (io_uring, epoll or NIO, see {@link SocketTransport}), one
 * listening socket, and per loop a {@link Loop} with that loop's client connections and upstream pools.
 * The admin API runs apart, on Vert.x. See docs/architecture.md.
 */
public final class ProxyServer {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final EventLoopGroup group;
    private final List<Loop> loops;
    private final Channel server;
    private final DnsAddressResolverGroup resolver;

    private ProxyServer(EventLoopGroup group, List<Loop> loops, Channel server,
                             DnsAddressResolverGroup resolver) {
        this.group = group;
        this.resolver = resolver;
        this.loops = loops;
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0: ephemeral) on {@code threads} new event loops of {@code transport}; blocks
     * until bound.
     *
     * @param tls the certificates to terminate TLS with, or null for plain HTTP
     */
    public static ProxyServer start(String host, int port, int threads, SocketTransport transport,
                                    long clientIdleMillis, Limits limits, Http2Options http2, TlsContexts tls,
                                    Supplier<RoutingSnapshot> snapshot, Consumer<String> rejected)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("ramp-proxy"),
                transport.ioHandler());
        Class<? extends SocketChannel> socket = transport.socket();
        WriteBufferWaterMark marks = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
        // Upstream host names resolve asynchronously on the loop (hosts file first), never blocking it.
        DnsAddressResolverGroup resolver = new DnsAddressResolverGroup(transport.datagram(),
                DnsServerAddressStreamProviders.platformDefault());
        Bootstrap upstreams = new Bootstrap()
                .channel(socket)
                .resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks);
        ConnectionLimits connections = new ConnectionLimits(limits.maxConnections(), limits.maxConnectionsPerIp(),
                rejected);
        UpstreamTls upstreamTls = new UpstreamTls(tls != null ? tls.sslProvider() : UpstreamTls.defaultProvider());
        Map<EventExecutor, ClientPipelines> byLoop = new IdentityHashMap<>();
        List<Loop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            Loop l = new Loop((EventLoop) e, upstreams, snapshot, clientIdleMillis, limits, connections,
                    tls != null, upstreamTls);
            byLoop.put(e, new ClientPipelines(l, limits, http2));
            loops.add(l);
        }
        boolean h2 = http2.offered(tls != null);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverSocket())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ClientPipelines p = byLoop.get(ch.eventLoop());
                        if (p == null) {
                            throw new IllegalStateException("channel on an unknown event loop " + ch.eventLoop());
                        }
                        InetSocketAddress a = ch.remoteAddress();
                        String peer = a != null && a.getAddress() != null ? a.getAddress().getHostAddress() : null;
                        if (!connections.admit(peer)) {
                            ch.close(); // over ramp.listen.limits.max-connections(-per-ip): closed at accept, counted
                            return;
                        }
                        ch.closeFuture().addListener(f -> connections.release(peer));
                        if (tls != null) {
                            // Picks the certificate by the ClientHello's server name, then replaces itself with
                            // that context's SslHandler; the client has the header timeout to send its hello.
                            ch.pipeline().addLast("plain-http", new PlainHttpOnTlsPort())
                                    .addLast("tls", new SniHandler(tls, limits.headerTimeout().toMillis()));
                            if (h2) {
                                ch.pipeline().addLast("alpn", p.alpn()); // HTTP/1.1 or HTTP/2 after the handshake
                                return;
                            }
                        } else if (h2) {
                            ch.pipeline().addLast("h2c", p.sniffPreface());
                            return;
                        }
                        p.http1(ch.pipeline());
                    }
                });
        Channel server;
        try {
            server = b.bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            resolver.close();
            throw e;
        }
        loops.forEach(l -> l.loop.execute(l::startSweeping));
        return new ProxyServer(group, loops, server, resolver);
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The socket transport the listening socket runs on. */
    public SocketTransport transport() {
        for (SocketTransport t : SocketTransport.values()) {
            if (t.serverSocket().isInstance(server)) {
                return t;
            }
        }
        throw new IllegalStateException("listening on an unknown channel type " + server.getClass().getName());
    }

    /** Drops pools of upstream origins that are no longer configured (each on its own loop). */
    public void retainUpstreams(Set<String> keys) {
        for (Loop l : loops) {
            l.loop.execute(() -> l.retain(keys));
        }
    }

    /**
     * Stops accepting, lets in-flight requests finish for up to {@code graceMillis} (idle keep-alive
     * connections close at once, busy ones after their response), then closes everything. Blocks.
     */
    public void shutdown(long graceMillis) {
        server.close().syncUninterruptibly();
        for (Loop l : loops) {
            l.loop.execute(l::beginShutdown);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (System.nanoTime() < deadline && loops.stream().anyMatch(l -> l.openConnections() > 0)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Loop l : loops) {
            l.loop.execute(l::closeAll);
        }
        resolver.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
