package dev.ramp.gateway.cluster;

import dev.ramp.gateway.state.ReplicaSync;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lease in Redis: the key holds the owner's id with an expiry ({@code SET key owner NX PX ttl}), renewed
 * by its owner every third of the ttl by a script that extends it only if the owner still holds it. A dead
 * or cut-off holder stops renewing and the lease passes to another replica once it expires.
 *
 * <p>{@link #held()} is true only until the end of the ttl counted from the last successful attempt's
 * start, by this replica's clock: a holder that loses Redis stops acting as holder no later than the key
 * expires in Redis, provided its clock runs no slower than Redis's (one ttl of drift is the margin).
 *
 * <p>Its attempts run on one Vert.x context; {@link #held()} may be read from any thread.
 */
final class RedisLease implements ReplicaSync.Lease {
    static final String RENEW_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """;
    static final String RELEASE_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final Redis redis;
    private final Context context;
    private final String key;
    private final String owner;
    private final long ttlMillis;
    private final Clock clock;
    /** Held until this instant (epoch ms), by this replica's clock; 0: not held. */
    private volatile long heldUntil;
    private long timer = -1; // confined to the context
    private volatile boolean closed;

    private RedisLease(Redis redis, Context context, String key, String owner, Duration ttl, Clock clock) {
        this.redis = redis;
        this.context = context;
        this.key = key;
        this.owner = owner;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    /** Opens a lease on {@code key}: tries for it now, then every third of {@code ttl}. */
    static RedisLease open(Redis redis, Context context, String key, String owner, Duration ttl, Clock clock) {
        if (ttl.toMillis() < 30) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: 30ms or more)");
        }
        RedisLease lease = new RedisLease(redis, context, key, owner, ttl, clock);
        context.runOnContext(v -> {
            lease.attempt();
            lease.timer = context.owner().setPeriodic(Math.max(10, lease.ttlMillis / 3), id -> lease.attempt());
        });
        return lease;
    }

    @Override
    public boolean held() {
        return !closed && clock.millis() < heldUntil;
    }

    /** One try: renew if held, else acquire if free. Completes with whether it is held now. */
    Future<Boolean> attempt() {
        if (closed) {
            return Future.succeededFuture(false);
        }
        long started = clock.millis();
        Future<Response> renew = redis.send(Request.cmd(Command.EVAL).arg(RENEW_SCRIPT).arg(1).arg(key).arg(owner)
                .arg(ttlMillis));
        return renew.compose(r -> r != null && r.toInteger() == 1 ? Future.succeededFuture(true)
                        : redis.send(Request.cmd(Command.SET).arg(key).arg(owner).arg("NX").arg("PX").arg(ttlMillis))
                                .map(s -> s != null && "OK".equals(s.toString())))
                .timeout(RedisSync.COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .andThen(ar -> {
                    if (ar.succeeded()) {
                        heldUntil = ar.result() && !closed ? started + ttlMillis : 0;
                    } // a failed attempt changes nothing: a lease held runs out at its expiry
                })
                .recover(e -> Future.succeededFuture(false));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heldUntil = 0;
        context.runOnContext(v -> {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
            redis.send(Request.cmd(Command.EVAL).arg(RELEASE_SCRIPT).arg(1).arg(key).arg(owner));
        });
    }

    @Override
    public String toString() {
        return "RedisLease[" + key + ", " + owner + (held() ? ", held" : "") + "]";
    }
}
