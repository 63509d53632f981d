package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Fallback;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.CanaryBreakers;
import dev.ramp.gateway.proxy.Failures;
import dev.ramp.gateway.proxy.FallbackLog;
import dev.ramp.gateway.proxy.FallbackPolicy;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.http1.Upgrades;
import dev.ramp.gateway.routing.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the gateway: which attempt (version, upstream connection) carries
 * it, the request body streamed upstream with back-pressure, and what happens when an attempt fails: a
 * canary attempt that fails before anything reached the client is retried once on stable where its
 * {@link FallbackPolicy} allows, otherwise the client gets the error {@link Failures} maps it to. The
 * response goes back through its {@link Relay}. The request head is forwarded as the same object, its
 * headers rewritten in place ({@link ForwardedHeaders}); body buffers pass through without copies. Timeouts
 * are deadlines checked by the loop's sweep, not timers. Runs entirely on the event loop of its client
 * connection, which is also the loop of its upstream connection.
 *
 * <p>A WebSocket upgrade request ({@link Upgrades}) is one attempt like any other, on a connection of its own
 * that is never pooled; a 101 answer turns both connections into a {@link Tunnel}, any other answer is relayed
 * and closes the client connection. It falls back to stable only when nothing was sent.
 */
final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");

    private final FrontHandler front;
    private final Loop loop;
    private final HttpRequest request;
    private final LiveRoute route;
    private final String setCookieIdentity;
    private final boolean clientKeepAlive;
    private final HttpVersion clientVersion;
    private final boolean head;
    /**
     * The request has no body (neither Content-Length nor Transfer-Encoding), so the decoder handed it over as one
     * {@link FullHttpRequest}: it goes upstream as it is, encoded into one buffer.
     */
    private final boolean noBody;
    /** A WebSocket upgrade request ({@link Upgrades}): kept whole to the 101, then tunnelled. */
    private final boolean upgrade;

    private Version version;
    private long attemptStart;
    private UpstreamConnection up;
    /** Getting the current attempt a connection, when none was idle; null once it has one. */
    private Connector connector;
    /** The client's request body ended (its LastHttpContent arrived). */
    private boolean requestDone;
    /** The request's end was written to the current attempt's upstream. */
    private boolean requestSent;
    /** The client got its whole answer (relayed or produced here). */
    private boolean responded;
    /** The outcome is final: answered, failed after its head, or the client left. */
    private boolean done;
    /** Canary-bound with fallback enabled, and not retried yet: a failure may still go to stable. */
    private boolean mayFallBack;
    /** Whether the body may still be replayed: idempotent and, so far, kept whole ({@link FallbackPolicy}). */
    private boolean replayable;
    private boolean bodyStarted;
    private boolean breakerPermit;
    private boolean timedOut;
    private long responseDeadline;
    /** For the access log: the first attempt's start, the attempts' summed time, whether it fell back. */
    private long firstStart;
    private long upstreamNanos = -1;
    private boolean fellBack;
    /** Body pieces waiting for a connection, and the copy kept for a replay; none for a bodiless request. */
    private final BodyBuffers body;
    /** The request's dark-launch copy when it was sampled ({@link Mirror}), else null. */
    Mirror mirror;

    Exchange(FrontHandler front, HttpRequest request, LiveRoute route, String setCookieIdentity,
             boolean clientKeepAlive) {
        this.front = front;
        this.loop = front.loop();
        this.request = request;
        this.route = route;
        this.setCookieIdentity = setCookieIdentity;
        this.upgrade = Upgrades.webSocket(request);
        // A refused upgrade closes: the client may already have sent bytes of the protocol it asked for.
        this.clientKeepAlive = clientKeepAlive && !upgrade;
        this.clientVersion = request.protocolVersion();
        this.head = request.method() == HttpMethod.HEAD;
        this.noBody = request instanceof FullHttpRequest;
        this.body = noBody ? BodyBuffers.NONE : new BodyBuffers();
    }

    /**
     * Sends the request to {@code v}'s upstream (stable's while the canary's breaker is open); the rest are the
     * client's trust, address and Host header as received, for X-Forwarded-* ({@link ForwardedHeaders}).
     */
    void start(Version v, boolean trusted, AsciiString peer, CharSequence hostHeader) {
        HttpHeaders h = request.headers();
        if (v == Version.CANARY) {
            CircuitBreaker breaker = route.canaryBreaker();
            if (breaker != null && !breaker.tryAcquirePermission()) {
                // The canary is known to be down: do not make this user wait on it.
                forward(trusted, peer, hostHeader);
                route.observer().onFallback("circuit_open");
                attempt(Version.STABLE);
                return;
            }
            breakerPermit = breaker != null;
            Fallback f = route.config().fallback();
            mayFallBack = f.enabled();
            if (mayFallBack) {
                // An upgrade is never replayed once sent: only a connection that could not be made falls back.
                replayable = !upgrade && FallbackPolicy.replayableHead(f, request.method().name(), h.contains(IDEMPOTENCY_KEY),
                        h.get(HttpHeaderNames.CONTENT_LENGTH));
            }
        }
        forward(trusted, peer, hostHeader);
        if (mirror != null) {
            mirror.capture(request); // the head stable gets is the head the canary's copy gets
        }
        attempt(v);
    }

    /** The request head every attempt sends ({@link ForwardedHeaders}); an upgrade keeps what asks for it. */
    private void forward(boolean trusted, AsciiString peer, CharSequence hostHeader) {
        String protocol = upgrade ? request.headers().get(HttpHeaderNames.UPGRADE) : null;
        ForwardedHeaders.request(request, trusted, peer, hostHeader, loop.secure);
        if (upgrade) {
            Tunnel.keepUpgrade(request, protocol);
        }
    }

    /** Whether the request asks for a WebSocket upgrade. */
    boolean upgrade() {
        return upgrade;
    }

    /** Whether the request is a HEAD (its response has no body). */
    boolean isHead() {
        return head;
    }

    /** Whether the client's request body has ended. */
    boolean requestDone() {
        return requestDone;
    }

    /** Whether the client got its whole answer. */
    boolean responded() {
        return responded;
    }

    /** Whether the client asked to keep its connection open after this exchange. */
    boolean clientKeepAlive() {
        return clientKeepAlive;
    }

    /** The client's channel, where the answer goes. */
    Channel client() {
        return front.channel();
    }

    private void attempt(Version v) {
        version = v;
        Upstream upstream = route.upstream(v);
        attemptStart = System.nanoTime();
        if (firstStart == 0) {
            firstStart = attemptStart;
        }
        timedOut = false;
        requestSent = false;
        responseDeadline = 0;
        request.headers().set(HttpHeaderNames.HOST, route.authority(v));
        String key = route.poolKey(v);
        UpstreamConnection pooled = upgrade ? null : loop.acquire(key);
        if (pooled != null) {
            attach(pooled);
            return;
        }
        if (!requestDone) {
            front.pause(FrontHandler.PAUSE_CONNECT);
        }
        connector = new Connector(this, loop, upstream, key, (int) route.config().timeouts().connect().toMillis(),
                upgrade);
        connector.start();
    }

    /**
     * The attempt's {@link Connector} has its result: a connection, or the failure to get one ({@code cause};
     * the attempt was never sent).
     */
    void connected(Connector c, UpstreamConnection fresh, Throwable cause) {
        if (c != connector) {
            if (fresh != null) {
                loop.release(fresh); // a stale attempt's connection is still a good one
            }
            return;
        }
        connector = null;
        front.resume(FrontHandler.PAUSE_CONNECT);
        if (done) {
            if (fresh != null) {
                loop.release(fresh);
            }
            return;
        }
        if (fresh == null) {
            attemptFailed(Outcome.CONNECT_ERROR, cause, true);
            return;
        }
        attach(fresh);
    }

    private void attach(UpstreamConnection u) {
        up = u;
        u.attach(this);
        Channel c = u.channel;
        if (noBody) {
            bodyStarted = true;
            // Its content is the shared empty buffer, so the same message serves a second attempt too.
            front.writeUpstream(c, request);
            requestWritten();
            return;
        }
        if (bodyStarted) {
            // Second attempt after the body already went to the canary: replay the kept copy.
            front.writeUpstream(c, request);
            front.writeUpstream(c, body.replayed());
            requestWritten();
            return;
        }
        bodyStarted = true;
        front.writeUpstream(c, request);
        if (body.drainTo(front, c)) {
            requestWritten();
        }
        if (!c.isWritable()) {
            front.pause(FrontHandler.PAUSE_UPSTREAM);
        }
    }

    private void requestWritten() {
        requestSent = true;
        if (!up.relay.headSent()) {
            responseDeadline = loop.now() + Loop.SWEEP_NANOS + route.config().timeouts().response().toNanos();
        }
    }

    /** A piece of the client's request body. */
    void onRequestContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (last && !((LastHttpContent) c).trailingHeaders().isEmpty()) {
            // Request trailers are dropped: a client could otherwise send X-Forwarded-For or Host after the body,
            // past every rule the head went through.
            ((LastHttpContent) c).trailingHeaders().clear();
        }
        if (last) {
            requestDone = true;
        }
        if (noBody) {
            // c is the request itself, whole: it went (or will go) upstream as one message and is not released here
            if (last) {
                front.requestBodyDone(this);
            }
            return;
        }
        if (mayFallBack && replayable && !body.copy(c, route.config().fallback())) {
            replayable = false; // too big to keep: this request can no longer be replayed
        }
        UpstreamConnection u = up;
        if (u != null && !done) {
            u.touch(front.lastActivity());
            front.writeUpstream(u.channel, c);
            if (last) {
                requestWritten();
            } else if (!u.channel.isWritable()) {
                front.pause(FrontHandler.PAUSE_UPSTREAM);
            }
        } else if (!done && !bodyStarted) {
            body.queue(c);
        } else {
            c.release(); // the attempt that streamed it already failed; only the copy is kept
        }
        if (last) {
            front.requestBodyDone(this);
        }
    }

    /** A message of the upstream's response. */
    void onUpstream(UpstreamConnection u, Object msg) {
        if (u != up || done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        u.relay.onUpstream(this, msg);
    }

    /**
     * A final response head arrived. Returns true when it was a canary answer with a status that falls back:
     * then it is thrown away and stable is asked instead.
     */
    boolean replacedOnStatus(UpstreamConnection u, HttpResponse r, int st) {
        responseDeadline = 0;
        if (!mayFallBack || !FallbackPolicy.retriesOnStatus(route.config().fallback(), st, replayable, requestDone)) {
            return false;
        }
        attemptEnded(Outcome.ofStatus(st));
        up = null;
        u.discardAnswer(r, requestSent);
        fallBack("status_" + st, null);
        return true;
    }

    /** Rewrites a response head for the client; returns whether the client connection closes after it. */
    boolean rewriteResponseHead(HttpResponse r, int st) {
        return ForwardedHeaders.response(r, st, route.config(), version, setCookieIdentity, head, clientVersion,
                !clientKeepAlive || loop.shuttingDown(), loop.secure);
    }

    void finishResponse(UpstreamConnection u) {
        done = true;
        responded = true;
        attemptEnded(Outcome.ofStatus(u.relay.status()));
        route.observer().onClientResponse(version, u.relay.status());
        logAccess(version, u.relay.status(), u.relay.bytesOut());
        up = null;
        u.finish(u.keepAlive() && requestSent);
        if (mirror != null && version == Version.STABLE) {
            loop.mirrors.send(mirror); // after stable's answer is whole: the user never waits for the copy
        }
        body.releaseReplay();
        front.resume(FrontHandler.PAUSE_UPSTREAM | FrontHandler.PAUSE_CONNECT);
        front.exchangeFinished(this, u.relay.closesClient());
    }

    /** The upstream switched protocols ({@code r}: its 101): one successful attempt, then a {@link Tunnel}. */
    void upgraded(UpstreamConnection u, HttpResponse r) {
        done = true;
        responded = true;
        responseDeadline = 0;
        up = null;
        u.tunnelled();
        attemptEnded(Outcome.ofStatus(101));
        route.observer().onClientResponse(version, 101);
        logAccess(version, 101, 0);
        String protocol = r.headers().get(HttpHeaderNames.UPGRADE);
        rewriteResponseHead(r, 101);
        Tunnel.keepUpgrade(r, protocol != null ? protocol : request.headers().get(HttpHeaderNames.UPGRADE));
        front.tunnel(this, u, r, route, version);
    }

    /** The current attempt's connection failed or must be abandoned. */
    void failUpstream(Throwable cause) {
        UpstreamConnection u = up;
        u.fail(cause);
        upstreamClosed(u, cause);
    }

    /** The current attempt's connection closed: before the head a failed attempt, after it a cut response. */
    void upstreamClosed(UpstreamConnection u, Throwable cause) {
        if (u != up || done) {
            return;
        }
        up = null;
        Throwable c = cause != null ? cause : new IOException("Connection was closed");
        if (!u.relay.headSent()) {
            attemptFailed(timedOut || Failures.isTimeout(c) ? Outcome.TIMEOUT : Outcome.RESET, c, false);
            return;
        }
        // Headers already reached the client: the only honest signal left is to cut the connection, so a
        // truncated body is never passed off as complete.
        done = true;
        responded = true;
        log.debug("route={} version={} response failed after its head: {}", route.name(), version.tag(), c.toString());
        attemptEnded(Outcome.RESET);
        route.observer().onClientResponse(version, u.relay.status());
        logAccess(version, u.relay.status(), u.relay.bytesOut());
        body.releaseReplay();
        u.relay.emitPendingHead(front.channel());
        // Flushed before the close: a close drops unflushed writes, and a client that saw no byte at all
        // would take the cut for a stale keep-alive connection and send the request again.
        front.closeAfterWrites();
    }

    private void attemptFailed(Outcome outcome, Throwable cause, boolean neverSent) {
        dropConnection();
        attemptEnded(outcome);
        if (mayFallBack
            && FallbackPolicy.retriesOnFailure(route.config().fallback(), neverSent, replayable, requestDone)) {
            fallBack(outcome.tag(), cause);
            return;
        }
        respondError(outcome, cause);
    }

    private void fallBack(String reason, Throwable cause) {
        FallbackLog.warn(route.name(), reason, cause, loop.now());
        route.observer().onFallback(reason);
        fellBack = true;
        mayFallBack = false;
        if (!bodyStarted) {
            replayable = false; // nothing was sent: stable gets the untouched request stream
            body.releaseReplay();
        }
        attempt(Version.STABLE);
    }

    /** Closes the current attempt's connection, if any: it is out of step with the exchange. */
    private void dropConnection() {
        UpstreamConnection u = up;
        if (u != null) {
            up = null;
            u.finish(false);
        }
    }

    /** Reports the current attempt's end to the observer and, once, to the canary's breaker. */
    private void attemptEnded(Outcome outcome) {
        long nanos = System.nanoTime() - attemptStart;
        upstreamNanos = upstreamNanos < 0 ? nanos : upstreamNanos + nanos;
        route.observer().onAttempt(version, outcome, nanos);
        if (breakerPermit) {
            breakerPermit = false;
            CanaryBreakers.record(route.canaryBreaker(), outcome, nanos);
        }
    }

    private void respondError(Outcome outcome, Throwable cause) {
        done = true;
        responded = true;
        Failures.Failure failure = Failures.upstreamFailure(route, version, outcome, cause, timedOut);
        log.debug("route={} version={} outcome={} {}", route.name(), version.tag(), outcome.tag(), failure.message());
        body.releaseQueued();
        body.releaseReplay();
        if (!front.channel().isActive()) {
            return;
        }
        // The unread rest of the request body would poison this keep-alive connection.
        boolean bodyPending = !requestDone;
        front.writeError(failure.error(), route.name(), failure.message(), clientVersion,
                bodyPending || !clientKeepAlive || loop.shuttingDown());
        route.observer().onClientResponse(null, failure.error().status());
        logAccess(null, failure.error().status(), 0);
        front.resume(FrontHandler.PAUSE_UPSTREAM | FrontHandler.PAUSE_CONNECT);
        front.exchangeFinished(this, bodyPending || loop.shuttingDown());
    }

    /** The access log's line for this request, when the log is on ({@link AccessLogging}). */
    private void logAccess(Version servedBy, int status, long bytesOut) {
        dev.ramp.gateway.proxy.AccessLog log = loop.snapshot.get().accessLog();
        if (log != null) {
            AccessLogging.exchange(log, front.peer(), request, route, servedBy, status, firstStart, upstreamNanos,
                    fellBack, bytesOut);
        }
    }

    /** The client connection closed. */
    void clientGone() {
        if (!done) {
            done = true;
            if (connector != null) {
                connector.cancel();
            }
            dropConnection();
            if (breakerPermit) {
                breakerPermit = false;
                route.canaryBreaker().releasePermission();
            }
        }
        body.releaseQueued();
        body.releaseReplay();
    }

    /** Called by the loop's sweep: enforces the response timeout and the upstream idle timeout. */
    void sweep(long now) {
        Connector c = connector;
        if (c != null && !done && c.expireWait(now)) {
            return;
        }
        UpstreamConnection u = up;
        if (done || u == null) {
            return;
        }
        if (responseDeadline != 0 && now - responseDeadline >= 0) {
            timedOut = true;
            responseDeadline = 0;
            failUpstream(new Failures.ResponseTimeout(route.config().timeouts().response().toMillis()));
            return;
        }
        long idle = route.config().timeouts().idle().toNanos();
        if (u.idleLongerThan(idle, now)) {
            failUpstream(new TimeoutException("no data for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms"));
        }
    }

    void clientWritabilityChanged(boolean writable) {
        UpstreamConnection u = up;
        if (writable && u != null) {
            u.channel.config().setAutoRead(true);
        }
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (writable) {
            front.resume(FrontHandler.PAUSE_UPSTREAM);
        }
    }
}
