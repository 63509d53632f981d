package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.http1.Headers;
import dev.ramp.gateway.routing.Version;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's sender of dark-launch copies ({@link Mirror}): keep-alive connections to canary origins of
 * its own, apart from the exchanges' pools, so a copy can never hand a client's exchange a connection in a
 * bad state nor take a slot a user's request waits for. Each copy takes one of its route's
 * {@code max-in-flight} slots or is dropped (counted); it gets the route's connect timeout and, for the whole
 * answer, its response timeout (one timer per copy: copies are sampled, the user path schedules none). The
 * answer is read in full and digested as it streams, then dropped; only a connection that ended its answer
 * cleanly and may be kept alive is pooled again. Confined to its event loop.
 */
final class MirrorClient {
    private static final Logger log = LoggerFactory.getLogger(MirrorClient.class);
    /** Idle copy connections kept per canary origin and loop; more are closed. */
    private static final int MAX_IDLE = 16;

    private final Loop loop;
    private final Map<String, ArrayDeque<Copier>> idle = new HashMap<>();

    MirrorClient(Loop loop) {
        this.loop = loop;
    }

    /**
     * Sends {@code m}'s copy to its route's canary, unless the route has too many copies out already (counted
     * as dropped) or the gateway is draining (not sent, not counted).
     */
    void send(Mirror m) {
        LiveRoute route = m.route;
        if (loop.shuttingDown() || !route.mirror().tryStart(m.settings.maxInFlight())) {
            return;
        }
        m.stableAnswered();
        String key = route.poolKey(Version.CANARY);
        ArrayDeque<Copier> q = idle.get(key);
        Copier c;
        while (q != null && (c = q.pollLast()) != null) { // the most recently used: warm, least likely closed
            if (c.channel.isActive()) {
                c.begin(m);
                c.send();
                return;
            }
        }
        Upstream canary = route.upstream(Version.CANARY);
        Copier fresh = new Copier(key);
        ChannelFuture f = loop.connectMirror(canary, (int) route.config().timeouts().connect().toMillis(), fresh);
        fresh.channel = f.channel();
        fresh.begin(m); // the copy's deadline runs from now, connecting included
        f.addListener(done -> {
            if (done.isSuccess()) {
                if (fresh.current == m) { // else it timed out while connecting
                    fresh.send();
                }
            } else {
                fresh.fail("connect: " + done.cause());
            }
        });
    }

    private void idle(Copier c) {
        ArrayDeque<Copier> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE || loop.shuttingDown()) {
            c.channel.close();
        } else {
            q.addLast(c);
        }
    }

    /** Drops idle copy connections to origins no longer configured. */
    void retain(java.util.Set<String> keys) {
        idle.entrySet().removeIf(e -> {
            if (keys.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(c -> c.channel.close());
            return true;
        });
    }

    /** One connection for copies: carries one copy at a time, its answer digested into the copy's {@link Mirror}. */
    final class Copier extends ChannelInboundHandlerAdapter {
        final String key;
        Channel channel;
        Mirror current;
        private ScheduledFuture<?> deadline;
        /** When the current copy began (connecting included). */
        private long started;
        private int status;
        private boolean keepAlive;

        Copier(String key) {
            this.key = key;
        }

        /** Takes on the copy {@code m}: its deadline runs from now. */
        void begin(Mirror m) {
            current = m;
            started = System.nanoTime();
            status = 0;
            keepAlive = false;
            long millis = m.route.config().timeouts().response().toMillis()
                          + m.route.config().timeouts().connect().toMillis();
            deadline = channel.eventLoop().schedule(() -> fail("no complete answer within " + millis + " ms"),
                    millis, TimeUnit.MILLISECONDS);
        }

        /** Writes the current copy's request (the connection is open). */
        void send() {
            channel.writeAndFlush(current.request()).addListener(w -> {
                if (!w.isSuccess()) {
                    fail("write: " + w.cause());
                }
            });
        }

        /** Ends the current copy as an error; the connection is out of step, so it closes. */
        void fail(String why) {
            Mirror m = end();
            if (m != null) {
                log.debug("route={} version=canary mirror copy failed: {}", m.route.name(), why);
                m.failed(why, System.nanoTime() - started);
            }
            channel.close();
        }

        private Mirror end() {
            Mirror m = current;
            current = null;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            return m;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Mirror m = current;
                if (m == null) {
                    channel.close(); // bytes nobody asked for: the connection is not reusable
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    if (r.decoderResult().isFailure()) {
                        fail("broken answer: " + r.decoderResult().cause());
                        return;
                    }
                    if (r.status().code() < 200) {
                        return; // interim answer: the final one follows (its end is skipped below)
                    }
                    status = r.status().code();
                    keepAlive = Headers.keepAlive(r);
                    m.canaryHead(r);
                }
                if (msg instanceof HttpContent c && status >= 200) {
                    if (c.decoderResult().isFailure()) {
                        fail("broken answer: " + c.decoderResult().cause());
                        return;
                    }
                    m.canary.update(c.content());
                    if (c instanceof LastHttpContent) {
                        end();
                        m.answered(status, System.nanoTime() - started);
                        if (keepAlive) {
                            idle(this);
                        } else {
                            channel.close();
                        }
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ArrayDeque<Copier> q = idle.get(key);
            if (q != null) {
                q.remove(this); // closed while idle: the upstream's keep-alive ended
            }
            fail("connection closed before the answer ended");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause.toString());
        }
    }
}
