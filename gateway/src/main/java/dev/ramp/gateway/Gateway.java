package dev.ramp.gateway;

import dev.ramp.gateway.accesslog.AccessLogWriter;
import dev.ramp.gateway.admin.AdminServer;
import dev.ramp.gateway.cluster.RedisSync;
import dev.ramp.gateway.config.ClusterSettings;
import dev.ramp.gateway.config.ConfigState;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.control.ConfigChanges;
import dev.ramp.gateway.control.GuardService;
import dev.ramp.gateway.events.ConfigRejected;
import dev.ramp.gateway.events.ConfigReloaded;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.History;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.notify.Notifier;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.netty.ProxyServer;
import dev.ramp.gateway.proxy.netty.SocketTransport;
import dev.ramp.gateway.proxy.netty.TlsStatus;
import dev.ramp.gateway.state.LatchStore;
import dev.ramp.gateway.state.ReplicaSync;
import dev.ramp.gateway.state.RolloutFiles;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the traffic listener on N event loops, the admin listener, and the current
 * {@link RoutingSnapshot}, swapped atomically by {@link #apply(GatewayConfig)}. Start and stop block the
 * caller (CLI, tests), never an event loop.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final AtomicReference<RoutingSnapshot> snapshot;
    private final SnapshotBuilder snapshots;
    /** The traffic listener; null until bound. */
    private volatile ProxyServer netty;
    /** The listener's certificates and their reloader; null on a plain-HTTP listener. */
    private volatile ListenerCertificates tls;
    private volatile int port;
    private volatile boolean closed;

    private final RampMetrics metrics;
    private final GuardService guards;
    /** The other replicas, through Redis; null for a single replica ({@code ramp.cluster.redis-url} empty). */
    private final RedisSync cluster;
    /** How long a start waits for Redis before serving on its own latch files. */
    static final Duration CLUSTER_START_WAIT = Duration.ofSeconds(5);
    private final EventLog events = EventLog.of();
    private final ConfigState configState;
    private volatile boolean ready;
    private AdminServer admin;
    private volatile int adminPort;
    /** Tells ramp.notify's webhooks of events; null until started. */
    private volatile Notifier notifier;
    /** The dashboard's per-second history of every route, closed each second on the admin event loop. */
    private final History history = new History();
    /** The access log's writer; null when {@code ramp.access-log} is off (it is read at start only). */
    private final AccessLogWriter accessLog;

    private Gateway(Vertx vertx, RouteObserver.Factory extra, RampMetrics metrics, GatewayConfig config,
                    AccessLogWriter accessLog) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.accessLog = accessLog;
        if (accessLog != null) {
            metrics.accessLogDropped(accessLog::dropped);
        }
        ClusterSettings cs = config.cluster();
        this.cluster = cs.enabled() ? RedisSync.create(vertx, cs, RedisSync.replicaId(cs), metrics.registry(), events,
                java.time.Clock.systemUTC()) : null;
        this.guards = new GuardService(new LatchStore(config.stateDir()), new RolloutFiles(config.stateDir()), vertx,
                metrics, events, System::nanoTime, java.time.Clock.systemUTC(),
                cluster == null ? ReplicaSync.LOCAL : cluster);
        this.snapshots = new SnapshotBuilder(metrics, guards, extra, history, accessLog);
        RoutingSnapshot initial = snapshots.build(config, Map.of());
        this.snapshot = new AtomicReference<>(initial);
        this.configState = ConfigState.of(config);
        // Latches and rollout progress are read back before the listener opens: a reverted route never serves
        // its canary, and a plan serves the weight it had reached.
        guards.sync(initial, Map.of());
        if (cluster != null) {
            joinCluster();
        }
        guards.start();
    }

    /**
     * Reads the other replicas' reverts and resumes, and applies them, before the listener opens. Redis
     * unreachable: the replica starts on its own latch files and catches up when Redis answers.
     */
    private void joinCluster() {
        try {
            cluster.start().await(CLUSTER_START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("cluster: Redis {} not reachable at start ({}): serving from the latches in state-dir, "
                     + "retrying", cluster.status().url(), String.valueOf(e.getMessage()));
        }
        try {
            guards.settled().await(CLUSTER_START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("cluster: shared state not applied within {}: {}", CLUSTER_START_WAIT, e.toString());
        }
    }

    /**
     * Binds the traffic listener, then the admin listener, and returns once both are bound; a listener that
     * cannot bind fails the start with its address named.
     */
    public static Gateway start(GatewayConfig config) throws Exception {
        return start(config, route -> RouteObserver.NOOP);
    }

    /** @param extra an observer per route (and for unrouted requests, {@code route} null) besides metrics and guard */
    public static Gateway start(GatewayConfig config, RouteObserver.Factory extra) throws Exception {
        int loops = config.effectiveEventLoops();
        SocketTransport transport;
        try {
            transport = SocketTransport.select(config.transport());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(config.file() + ": " + e.getMessage(), e);
        }
        // Vert.x only serves the admin API: one event loop is plenty, on Vert.x's own choice of transport.
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setPreferNativeTransport(true)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        RampMetrics metrics = RampMetrics.create();
        AccessLogWriter accessLog;
        try {
            accessLog = AccessLogWriter.open(config.accessLog());
        } catch (IllegalStateException e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            metrics.close();
            throw e;
        }
        Gateway g = new Gateway(vertx, extra, metrics, config, accessLog);
        g.notifier = Notifier.start(vertx, g.events, metrics, () -> g.snapshot.get().config().notifyTargets());
        try {
            // Both listeners are bound before either is announced: a clash on the admin port must not leave
            // a log that says the gateway serves.
            g.deploy(config, loops, transport);
            g.startAdmin(config);
            g.ready = true;
        } catch (Exception e) {
            if (g.tls != null) {
                g.tls.close();
            }
            if (g.netty != null) {
                g.netty.shutdown(0);
            }
            if (g.cluster != null) {
                g.cluster.close();
            }
            g.notifier.close();
            vertx.close().await(10, TimeUnit.SECONDS);
            g.guards.close();
            metrics.close();
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
        StartupMessages.loopbackTrustWarning(config).ifPresent(log::warn);
        StartupMessages.insecureUpstreamWarnings(config).forEach(log::warn);
        log.info("traffic listener on {}:{} ({} transport, {}) with {} event loop(s), {} route(s)",
                config.listen().host(), g.port, transport.tag(),
                g.tls == null ? "plain HTTP" : "TLS by " + g.tls.status().provider(), loops, config.routes().size());
        log.info("admin API on {}:{} (token {})", config.admin().listen().host(), g.adminPort,
                config.admin().token().isPresent() ? "configured" : "not configured: POST endpoints refused");
        if (!config.notifyTargets().isEmpty()) {
            log.info("notifying {} webhook(s): {}", config.notifyTargets().size(), config.notifyTargets().stream()
                    .map(t -> t.name() + " (" + t.format().tag() + ", " + String.join(" ", t.events()) + ")").toList());
        }
        log.info("dashboard on http://{}:{}/, access log {}", config.admin().listen().host(), g.adminPort,
                accessLog == null ? "off" : "to " + accessLog.target());
        return g;
    }

    /** Reopens the access log's file (SIGUSR1, after log rotation); nothing when the log is off. */
    public void reopenAccessLog() {
        if (accessLog != null) {
            accessLog.reopen();
        }
    }

    /** The access log's writer; null when the log is off. */
    public AccessLogWriter accessLog() {
        return accessLog;
    }

    /** The dashboard's per-second history of every route. */
    public History history() {
        return history;
    }

    private void deploy(GatewayConfig config, int loops, SocketTransport transport) throws Exception {
        long idle = config.clientIdleTimeout().toMillis();
        String host = config.listen().host();
        if (config.tls().isPresent()) {
            tls = ListenerCertificates.load(config.file(), config.tls().get(), config.http2().alpn(), metrics, events);
        }
        try {
            netty = ProxyServer.start(host, config.listen().port(), loops, transport, idle, config.limits(),
                    config.http2(), tls == null ? null : tls.contexts(), snapshot::get, metrics::connectionRejected);
        } catch (Exception e) {
            throw new IllegalStateException(StartupMessages.cannotListen("traffic", host, config.listen().port(), e), e);
        }
        port = netty.port();
        if (tls != null) {
            tls.startReloading();
        }
    }

    private void startAdmin(GatewayConfig config) throws Exception {
        admin = AdminServer.builder()
                .vertx(vertx)
                .listen(config.admin().listen())
                .snapshot(snapshot::get)
                .metrics(metrics)
                .events(events)
                .configState(configState)
                .ready(() -> ready)
                .statusSource(guards)
                .routeControl(guards)
                .tls(this::tlsStatus)
                .cluster(() -> cluster == null ? null : cluster.status().toJson())
                .history(history)
                .build();
        // Each second closes a point of every active route's history: cheap, so it runs on the admin event loop.
        vertx.setPeriodic(1000, id -> history.tick(java.time.Instant.now().getEpochSecond()));
        try {
            adminPort = admin.start().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(StartupMessages.cannotListen("admin API",
                    config.admin().listen().host(), config.admin().listen().port(), e), e);
        }
    }

    /**
     * Swaps in a new config: new requests use it at once, in-flight ones finish on the snapshot they started
     * with; pools to upstreams still configured are kept.
     */
    public RoutingSnapshot apply(GatewayConfig config) {
        if (!config.cluster().equals(snapshot.get().config().cluster())) {
            log.warn("ramp.cluster changed: it takes effect at the next restart (still {})",
                    snapshot.get().config().cluster());
        }
        Map<String, LiveRoute> previous = new HashMap<>();
        snapshot.get().routes().forEach(r -> previous.put(r.name(), r));
        RoutingSnapshot next = snapshots.build(config, previous);
        guards.sync(next, previous);
        // The error is cleared before the new routes serve: whoever sees the new config never sees the old error.
        configState.loaded(config);
        snapshot.set(next);
        ConfigChanges.between(previous, next).forEach(events::record);
        Set<String> keep = new HashSet<>();
        for (RouteConfig rc : config.routes()) {
            keep.add(LiveRoute.poolKey(rc.stable(), rc.timeouts()));
            keep.add(LiveRoute.poolKey(rc.canary(), rc.timeouts()));
        }
        ProxyServer n = netty;
        if (n != null) {
            n.retainUpstreams(keep);
        }
        ListenerCertificates t = tls;
        if (t != null && config.tls().isPresent()) {
            t.follow(config.tls().get());
        }
        return next;
    }

    public RoutingSnapshot snapshot() {
        return snapshot.get();
    }

    /** A reload read a valid config: apply it, count it, record it. */
    public RoutingSnapshot reload(GatewayConfig config) {
        if (!config.accessLog().equals(snapshot.get().config().accessLog())) {
            log.warn("ramp.access-log changed to {} {}: the access log is set up at start, restart to apply it",
                    config.accessLog().enabled() ? "on," : "off,", config.accessLog().target());
        }
        RoutingSnapshot next = apply(config);
        StartupMessages.insecureUpstreamWarnings(config).forEach(log::warn);
        metrics.reload(true);
        events.record(new ConfigReloaded(config.file(), config.routes().size()));
        return next;
    }

    /**
     * A reload read a valid config that equals the one serving. After failed reloads (a bad edit undone) that
     * is a recovery: counted as a good reload, recorded, and the status's error cleared; otherwise nothing.
     */
    public void reloadUnchanged(GatewayConfig config) {
        if (configState.current().lastError() == null) {
            return;
        }
        configState.cleared();
        metrics.reload(true);
        events.record(new ConfigReloaded(config.file(), config.routes().size(), true));
    }

    /** A reload failed: the current config keeps serving; count it, record it, report it in the status. */
    public void reloadFailed(String error) {
        metrics.reload(false);
        configState.failed(error, java.time.Instant.now());
        events.record(new ConfigRejected(error));
    }

    /** The bound admin port. */
    public int adminPort() {
        return adminPort;
    }

    public RampMetrics metrics() {
        return metrics;
    }

    public EventLog events() {
        return events;
    }

    /** How this replica shares its state (Redis), or null for a single replica. */
    public RedisSync cluster() {
        return cluster;
    }

    /** The guard service: windows, verdicts, latches, kill switch. */
    public GuardService guards() {
        return guards;
    }

    public ConfigState configState() {
        return configState;
    }

    /** The bound traffic port. */
    public int port() {
        return port;
    }

    /** The certificates the traffic listener serves and the TLS provider; null on a plain-HTTP listener. */
    public TlsStatus tlsStatus() {
        ListenerCertificates t = tls;
        return t == null ? null : t.status();
    }

    /** The socket transport the traffic listener runs on. */
    public SocketTransport transport() {
        return netty.transport();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Stops accepting, drains in-flight requests for up to the configured grace, then stops. */
    public void shutdown(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        ready = false; // /health/ready answers 503 while draining, so balancers stop sending
        ListenerCertificates t = tls;
        if (t != null) {
            t.close();
        }
        ProxyServer n = netty;
        if (n != null) {
            n.shutdown(grace.toMillis());
        }
        try {
            if (admin != null) {
                admin.close().await(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("admin listener did not close cleanly: {}", e.toString());
        }
        if (cluster != null) {
            cluster.close();
        }
        Notifier nf = notifier;
        if (nf != null) {
            nf.close();
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("event loops did not stop cleanly: {}", e.toString());
        }
        guards.close();
        metrics.close();
        if (accessLog != null) {
            accessLog.close(); // after the listener drained: the last requests' lines are written
        }
    }

    @Override
    public void close() {
        shutdown(snapshot.get().config().shutdownGrace());
    }
}
