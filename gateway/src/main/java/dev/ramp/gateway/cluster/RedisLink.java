package dev.ramp.gateway.cluster;

import dev.ramp.gateway.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The connections to Redis: a small pool for commands and one connection subscribed to the changes
 * channel. When the subscription drops (Redis stopped, restarted, unreachable) it is re-made after a
 * back-off wait, and each time it is made the owner catches up ({@code onSubscribed}) before the link
 * counts as connected. RESP2 is asked for, so replies and messages have one shape whatever the server.
 *
 * <p>Confined to the owner's Vert.x context: every method but {@link #send} and {@link #redis} runs on it.
 */
final class RedisLink {
    /**
     * Writes a record unless Redis holds a later stamp, and publishes it. KEYS: stamps hash, values hash;
     * ARGV: field, stamp, value, channel, message. Stamps compare as strings ({@code Stamp#key}).
     */
    static final String WRITE_SCRIPT = """
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            if cur and cur >= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('PUBLISH', ARGV[4], ARGV[5])
            return 1
            """;

    private final Vertx vertx;
    private final Redis redis;
    private final String channel;
    private final Backoff backoff;
    private final Consumer<String> onMessage;
    private final Supplier<Future<Void>> onSubscribed;
    private final BiConsumer<String, Throwable> onFailure;
    private RedisConnection subscriber;
    private boolean subscribed;
    private long retryTimer = -1;
    private boolean closed;

    RedisLink(Vertx vertx, ClusterSettings settings, String channel, Backoff backoff,
              Consumer<String> onMessage, Supplier<Future<Void>> onSubscribed, BiConsumer<String, Throwable> onFailure) {
        this.vertx = vertx;
        this.channel = channel;
        this.backoff = backoff;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.onFailure = onFailure;
        // The url carries host, port, database, user, password and TLS (rediss://); the client reads them.
        this.redis = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(settings.redisUrl().orElseThrow().toString())
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(4)
                .setMaxPoolWaiting(256)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(1_000).setTcpKeepAlive(true)
                        .setTcpNoDelay(true)));
    }

    Redis redis() {
        return redis;
    }

    /** Whether the changes channel is subscribed (so messages arrive). */
    boolean subscribed() {
        return subscribed;
    }

    /** Reconnection attempts since the last success. */
    int retries() {
        return backoff.failures();
    }

    /** Sends a command on the pool; fails after {@link RedisSync#COMMAND_TIMEOUT_MILLIS} without an answer. */
    Future<Response> send(Request request) {
        return redis.send(request).timeout(RedisSync.COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Connects and subscribes, retrying until closed; {@code first} completes with the first attempt. */
    void connect(Promise<Void> first) {
        if (closed) {
            first.tryFail("closed");
            return;
        }
        redis.connect().timeout(RedisSync.COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).compose(conn -> {
            subscriber = conn;
            conn.handler(this::onPush);
            conn.exceptionHandler(e -> lost(conn, e));
            conn.endHandler(v -> lost(conn, new IllegalStateException("connection closed")));
            return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                    .timeout(RedisSync.COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }).compose(r -> {
            subscribed = true;
            return onSubscribed.get();
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                backoff.reset();
                first.tryComplete();
            } else {
                onFailure.accept("connect", ar.cause());
                first.tryFail(ar.cause());
                drop();
                retry();
            }
        });
    }

    private void onPush(Response r) {
        // RESP2: ["message", channel, payload]; the subscribe confirmation and others are ignored.
        if (r != null && r.size() == 3 && "message".equals(String.valueOf(r.get(0)))) {
            onMessage.accept(r.get(2).toString());
        }
    }

    /** The subscription dropped: report, and re-make it after a wait. */
    private void lost(RedisConnection conn, Throwable e) {
        if (conn != subscriber || closed) {
            return;
        }
        onFailure.accept("connect", e);
        drop();
        retry();
    }

    private void drop() {
        subscribed = false;
        RedisConnection c = subscriber;
        subscriber = null;
        if (c != null) {
            c.handler(null).exceptionHandler(null).endHandler(null);
            c.close();
        }
    }

    private void retry() {
        if (closed || retryTimer >= 0) {
            return;
        }
        retryTimer = vertx.setTimer(backoff.nextDelayMillis(), id -> {
            retryTimer = -1;
            connect(Promise.promise());
        });
    }

    Future<Void> close() {
        closed = true;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        drop();
        return redis.close();
    }
}
