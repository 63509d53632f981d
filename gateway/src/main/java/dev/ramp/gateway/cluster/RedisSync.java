package dev.ramp.gateway.cluster;

import java.net.UnknownHostException;
import java.net.InetAddress;
import dev.ramp.gateway.config.ClusterSettings;
import dev.ramp.gateway.events.ClusterConnected;
import dev.ramp.gateway.events.ClusterDisconnected;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.state.ReplicaSync;
import dev.ramp.gateway.state.RouteRecord;
import dev.ramp.gateway.state.Stamp;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas sharing their state through Redis (docs/operations.md, "Running replicas"). Each record is
 * stamped ({@link Stamp}) and written by one script that keeps the later stamp and publishes the change on
 * {@code <prefix>changes}; every replica applies what it hears that is newer than what it holds. Every
 * {@code resync-every}, and each time the connection comes back, a replica re-reads the stamps: it takes
 * in records newer than its own and writes its own where Redis holds an older one or none (a revert made
 * while apart, a Redis restarted empty).
 *
 * <p>While Redis is unreachable, nothing stops: local writes are kept and sent after reconnecting, the
 * replica serves on the state it knows, reconnects with back-off ({@link Backoff}) and reports it
 * ({@link #status()}, {@code ramp_cluster_redis_up}, {@code cluster_down}/{@code cluster_up} events).
 *
 * <p>Threads: the Redis connections and all connection state live on one Vert.x context; writes may come
 * from any thread and are handed to it. Listeners are called on that context and must hand off at once.
 */
public final class RedisSync implements ReplicaSync, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSync.class);
    static final long COMMAND_TIMEOUT_MILLIS = 2_000;

    private final Context context;
    private final String replica;
    private final String url;
    private final Clock clock;
    private final HybridClock hlc;
    private final EventLog events;
    private final ClusterMetrics metrics;
    private final RedisLink link;
    private final SharedMap routes;
    private final SharedMap progress;
    private final String channel;
    private final String prefix;
    private final long resyncMillis;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<RedisLease> leases = new CopyOnWriteArrayList<>();
    private volatile ClusterStatus status;
    // The fields below are confined to the context.
    private boolean everUp;
    private boolean downReported;
    private long resyncTimer = -1;
    private boolean closed;

    private RedisSync(Vertx vertx, ClusterSettings settings, String replica, MeterRegistry registry, EventLog events,
                      Clock clock) {
        this.context = vertx.getOrCreateContext();
        this.replica = replica;
        this.url = ClusterSettings.redacted(settings.redisUrl().orElseThrow());
        this.clock = clock;
        this.hlc = new HybridClock(clock);
        this.events = events;
        this.metrics = new ClusterMetrics(registry);
        this.routes = new SharedMap(settings.keyPrefix(), "routes");
        this.progress = new SharedMap(settings.keyPrefix(), "progress");
        this.prefix = settings.keyPrefix();
        this.channel = prefix + "changes";
        this.resyncMillis = settings.resyncEvery().toMillis();
        this.status = new ClusterStatus(false, clock.instant(), replica, url, "not connected yet", 0);
        this.link = new RedisLink(vertx, settings, channel, new Backoff(settings.retryMax()), this::onMessage,
                this::connected, this::failed);
    }

    /**
     * A sync for {@code settings} (which must have a redis-url), not started.
     *
     * @param replica this replica's id, without ':'
     */
    public static RedisSync create(Vertx vertx, ClusterSettings settings, String replica, MeterRegistry registry,
                                   EventLog events, Clock clock) {
        return new RedisSync(vertx, settings, replica, registry, events, clock);
    }

    /**
     * Connects, subscribes and reads the shared state once; the future completes when that first read has
     * been applied, or fails if Redis cannot be reached (the replica then starts on its own files and keeps
     * retrying). Then re-reads every {@code resync-every}.
     */
    public Future<Void> start() {
        Promise<Void> first = Promise.promise();
        context.runOnContext(v -> {
            resyncTimer = context.owner().setPeriodic(resyncMillis, id -> {
                if (link.subscribed()) {
                    // A failed resync reports down; the next one that succeeds reports up again.
                    resync().onSuccess(x -> up()).onFailure(e -> failed("resync", e));
                }
            });
            link.connect(first);
        });
        return first.future();
    }

    /** This replica's id. */
    public String replica() {
        return replica;
    }

    /** Whether Redis answers, and since when. */
    public ClusterStatus status() {
        return status;
    }

    // ------------------------------------------------------------------ ReplicaSync

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void reverted(Latch latch) {
        RouteRecord r = RouteRecord.reverted(latch, new Stamp(hlc.next(), replica));
        write(routes, r.route(), r.stamp(), RecordJson.toJson(r));
    }

    @Override
    public void resumed(String route, String canaryUrl, String canaryVersion) {
        RouteRecord r = RouteRecord.resumed(route, canaryUrl, canaryVersion, new Stamp(hlc.next(), replica));
        write(routes, route, r.stamp(), RecordJson.toJson(r));
    }

    @Override
    public void restored(Latch latch) {
        // Writer unknown: loses a tie with the replica that made it, which knows its own record.
        RouteRecord r = RouteRecord.reverted(latch, new Stamp(latch.at().toEpochMilli(), ""));
        routes.offer(r.route(), r.stamp(), RecordJson.toJson(r)); // sent by the next resync if Redis lacks it
    }

    @Override
    public Optional<RouteRecord> latest(String route) {
        return routes.get(route).map(e -> RecordJson.fromJson(e.value()));
    }

    @Override
    public void progress(String route, JsonObject value) {
        write(progress, route, new Stamp(hlc.next(), replica), value);
    }

    @Override
    public Optional<JsonObject> latestProgress(String route) {
        return progress.get(route).map(SharedMap.Entry::value);
    }

    @Override
    public Lease lease(String name, Duration ttl) {
        RedisLease lease = RedisLease.open(link.redis(), context, prefix + "lease:" + name, replica, ttl, clock);
        leases.add(lease);
        return lease;
    }

    // ------------------------------------------------------------------ writes and reads

    private void write(SharedMap map, String key, Stamp stamp, JsonObject value) {
        map.offer(key, stamp, value);
        context.runOnContext(v -> send(map, key, stamp, value).onFailure(e -> failed("write", e)));
    }

    /** Writes {@code value} unless Redis holds a later stamp; true if written (and published). */
    private Future<Boolean> send(SharedMap map, String key, Stamp stamp, JsonObject value) {
        String message = new JsonObject().put("map", map.name()).put("key", key).put("stamp", stamp.key())
                .put("value", value).encode();
        return link.send(Request.cmd(Command.EVAL).arg(RedisLink.WRITE_SCRIPT).arg(2).arg(map.stampsKey())
                        .arg(map.valuesKey()).arg(key).arg(stamp.key()).arg(value.encode()).arg(channel).arg(message))
                .map(r -> r != null && r.toInteger() == 1);
    }

    /** A published change: applied if newer than what this replica holds. */
    private void onMessage(String payload) {
        try {
            JsonObject m = new JsonObject(payload);
            SharedMap map = "progress".equals(m.getString("map")) ? progress : routes;
            Stamp stamp = Stamp.parse(m.getString("stamp"));
            if (merge(map, m.getString("key"), stamp, m.getJsonObject("value")) && !stamp.replica().equals(replica)) {
                metrics.propagation(Duration.ofMillis(clock.millis() - stamp.time()));
            }
        } catch (RuntimeException e) {
            metrics.error("message");
            log.warn("cluster: ignored a malformed message on {}: {}", channel, e.toString());
        }
    }

    /** Takes in a record from Redis if newer; true if it was. */
    private boolean merge(SharedMap map, String key, Stamp stamp, JsonObject value) {
        hlc.observe(stamp.time());
        if (map == routes) {
            RouteRecord record = RecordJson.fromJson(value); // before offer: a malformed record is not kept
            if (!record.route().equals(key) || !record.stamp().equals(stamp)) {
                throw new IllegalArgumentException("record " + value.encode() + " (expected: route " + key
                                                   + ", stamp " + stamp.key() + ")");
            }
            if (!routes.offer(key, stamp, value)) {
                return false;
            }
            metrics.applied(record.reverted() ? "revert" : "resume");
            dispatch(l -> l.route(record));
        } else {
            if (!progress.offer(key, stamp, value)) {
                return false;
            }
            metrics.applied("progress");
            dispatch(l -> l.progress(key, value.copy()));
        }
        return true;
    }

    private void dispatch(Consumer<Listener> call) {
        for (Listener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.error("cluster: a listener failed: {}", e.toString(), e);
            }
        }
    }

    /**
     * Reads every stamp: takes in newer records, writes this replica's own where Redis's are older or
     * missing. Runs on the context.
     */
    Future<Void> resync() {
        return Future.all(resync(routes), resync(progress)).mapEmpty();
    }

    private Future<Void> resync(SharedMap map) {
        return link.send(Request.cmd(Command.HGETALL).arg(map.stampsKey())).compose(r -> {
            Map<String, Stamp> remote = new HashMap<>();
            for (int i = 0; r != null && i + 1 < r.size(); i += 2) {
                try {
                    remote.put(r.get(i).toString(), Stamp.parse(r.get(i + 1).toString()));
                } catch (IllegalArgumentException e) {
                    log.warn("cluster: ignored a malformed stamp of {} in {}: {}", r.get(i), map.stampsKey(),
                            e.getMessage());
                }
            }
            Map<String, SharedMap.Entry> local = map.entries();
            List<String> pull = new ArrayList<>();
            remote.forEach((key, stamp) -> {
                SharedMap.Entry mine = local.get(key);
                if (mine == null || stamp.after(mine.stamp())) {
                    pull.add(key);
                }
            });
            List<Future<?>> work = new ArrayList<>();
            local.forEach((key, mine) -> {
                if (mine.stamp().after(remote.get(key))) {
                    work.add(send(map, key, mine.stamp(), mine.value()).onSuccess(written -> {
                        if (written) {
                            metrics.republished();
                            log.info("cluster: wrote {} {} (stamp {}) that Redis held older or not at all",
                                    map.name(), key, mine.stamp().key());
                        }
                    }));
                }
            });
            if (!pull.isEmpty()) {
                Request hmget = Request.cmd(Command.HMGET).arg(map.valuesKey());
                pull.forEach(hmget::arg);
                work.add(link.send(hmget).onSuccess(values -> {
                    for (int i = 0; values != null && i < pull.size(); i++) {
                        Response v = values.get(i);
                        if (v == null) {
                            continue; // written between the two reads: the message brings it
                        }
                        try {
                            JsonObject value = new JsonObject(v.toString());
                            Stamp stamp = map == routes ? Stamp.parse(value.getString("stamp")) : remote.get(pull.get(i));
                            merge(map, pull.get(i), stamp, value);
                        } catch (RuntimeException e) {
                            metrics.error("message");
                            log.warn("cluster: ignored malformed {} {}: {}", map.name(), pull.get(i), e.toString());
                        }
                    }
                }));
            }
            return Future.all(work).mapEmpty();
        });
    }

    // ------------------------------------------------------------------ connection state

    /** Subscribed again (or for the first time): catch up, then report up. */
    private Future<Void> connected() {
        return resync().onSuccess(v -> up());
    }

    private void up() {
        ClusterStatus was = status;
        if (was.up()) {
            return;
        }
        downReported = false;
        status = new ClusterStatus(true, clock.instant(), replica, url, null, 0);
        metrics.up(true);
        if (everUp) {
            Duration down = Duration.between(was.since(), status.since());
            events.record(new ClusterConnected(url, down));
            log.info("cluster: Redis {} reachable again after {} ms; shared state reconciled (replica {})", url,
                    down.toMillis(), replica);
        } else {
            log.info("cluster: replica {} shares its state through Redis {}", replica, url);
        }
        everUp = true;
    }

    /** An operation failed: report down (once per outage), keep serving, the link retries. */
    private void failed(String op, Throwable e) {
        metrics.error(op);
        if (closed) {
            return;
        }
        String error = String.valueOf(e.getMessage() == null ? e : e.getMessage());
        if (!downReported) {
            downReported = true;
            status = new ClusterStatus(false, clock.instant(), replica, url, error, link.retries());
            metrics.up(false);
            events.record(new ClusterDisconnected(url, error));
            log.warn("cluster: Redis {} unreachable ({}: {}); serving with the last known shared state, retrying "
                     + "(replica {})", url, op, error, replica);
        } else {
            status = new ClusterStatus(false, status.since(), replica, url, error, link.retries());
        }
    }

    @Override
    public void close() {
        leases.forEach(RedisLease::close);
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            if (resyncTimer >= 0) {
                context.owner().cancelTimer(resyncTimer);
            }
            link.close().onComplete(ar -> done.complete());
        });
        try {
            done.future().await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("cluster: Redis connections did not close cleanly: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "RedisSync[" + url + ", replica " + replica + "]";
    }

    /** The configured replica id, else {@code <hostname>-<6 random hex digits>}, new at each start. */
    public static String replicaId(ClusterSettings cs) {
        if (!cs.replicaId().isEmpty()) {
            return cs.replicaId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "replica";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return host + "-" + String.format("%06x", new java.security.SecureRandom().nextInt(1 << 24));
    }
}
