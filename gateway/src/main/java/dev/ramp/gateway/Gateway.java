package dev.ramp.gateway;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.proxy.CanaryBreakers;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.ProxyObserver;
import dev.ramp.gateway.proxy.ProxyVerticle;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
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
 * A running gateway: the traffic listener on N event loops, and the current {@link RoutingSnapshot},
 * swapped atomically by {@link #apply(GatewayConfig)}. Start and stop block the caller (CLI, tests), never an
 * event loop.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final AtomicReference<RoutingSnapshot> snapshot;
    private final List<ProxyVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> deployments = new ArrayList<>();
    private final ProxyObserver observer;
    private volatile int port;
    private volatile boolean closed;

    private Gateway(Vertx vertx, RoutingSnapshot initial, ProxyObserver observer) {
        this.vertx = vertx;
        this.snapshot = new AtomicReference<>(initial);
        this.observer = observer;
    }

    /** Starts the traffic listener and blocks until it is bound. */
    public static Gateway start(GatewayConfig config) throws Exception {
        return start(config, ProxyObserver.NOOP);
    }

    public static Gateway start(GatewayConfig config, ProxyObserver observer) throws Exception {
        int loops = config.effectiveEventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(loops)
                .setPreferNativeTransport(true)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        Gateway g = new Gateway(vertx, snapshotOf(config, Map.of()), observer);
        try {
            g.deploy(config, loops);
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            throw e;
        }
        return g;
    }

    private void deploy(GatewayConfig config, int loops) throws Exception {
        long idle = config.clientIdleTimeout().toMillis();
        String host = config.listen().host();
        // N instances on one address: Vert.x shares one listening socket between them. For an ephemeral
        // port, a negative port asks Vert.x for one random port shared by all the instances.
        int listenPort = config.listen().port() == 0 ? -1 : config.listen().port();
        deployments.add(vertx.deployVerticle(() -> {
            ProxyVerticle v = new ProxyVerticle(host, listenPort, idle, snapshot::get, observer);
            verticles.add(v);
            return v;
        }, options().setInstances(loops)).await(30, TimeUnit.SECONDS));
        port = verticles.get(0).actualPort();
        for (ProxyVerticle v : verticles) {
            if (v.actualPort() != port) {
                throw new IllegalStateException("an event loop bound port " + v.actualPort() + ", not " + port);
            }
        }
        log.info("traffic listener on {}:{} with {} event loop(s), {} route(s)", host, port, loops,
                config.routes().size());
    }

    private static DeploymentOptions options() {
        return new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP);
    }

    private static RoutingSnapshot snapshotOf(GatewayConfig config, Map<String, LiveRoute> previous) {
        List<LiveRoute> routes = new ArrayList<>();
        for (RouteConfig rc : config.routes()) {
            LiveRoute old = previous.get(rc.name());
            LiveRoute route = new LiveRoute(rc, CanaryBreakers.forRoute(rc, old));
            if (old != null) {
                route.reverted(old.reverted());
            }
            routes.add(route);
        }
        return new RoutingSnapshot(config, routes);
    }

    /**
     * Swaps in a new config: new requests use it at once, in-flight ones finish on the snapshot they started
     * with; pools to upstreams still configured are kept.
     */
    public RoutingSnapshot apply(GatewayConfig config) {
        Map<String, LiveRoute> previous = new HashMap<>();
        snapshot.get().routes().forEach(r -> previous.put(r.name(), r));
        RoutingSnapshot next = snapshotOf(config, previous);
        snapshot.set(next);
        Set<String> keep = new HashSet<>();
        for (RouteConfig rc : config.routes()) {
            keep.add(rc.stable().url().toString());
            keep.add(rc.canary().url().toString());
        }
        verticles.forEach(v -> v.retainUpstreams(keep));
        return next;
    }

    public RoutingSnapshot snapshot() {
        return snapshot.get();
    }

    /** The bound traffic port. */
    public int port() {
        return port;
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
        List<Future<Void>> drains = new ArrayList<>();
        verticles.forEach(v -> drains.add(v.shutdown(grace.toMillis())));
        try {
            Future.join(drains).await(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("drain did not finish cleanly: {}", e.toString());
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("event loops did not stop cleanly: {}", e.toString());
        }
    }

    @Override
    public void close() {
        shutdown(snapshot.get().config().shutdownGrace());
    }
}
