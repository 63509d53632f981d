package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Fallback;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.Failures;
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
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client request on its way through the gateway: which attempt (version, upstream connection) carries
 * it, the request body streamed upstream with back-pressure, and what happens when an attempt fails: a
 * canary attempt that fails before anything reached the client is retried once on stable where its
 * {@link FallbackPolicy} allows, otherwise the client gets the error {@link Failures} maps it to. The
 * response goes back through its {@link Relay}; how the exchange ends for the client is
 * {@link ExchangeAnswer}'s part, what it reports (observer, breaker, access log, dark launch)
 * {@link ExchangeObservation}'s. The request head is forwarded as the same object, its headers rewritten in
 * place ({@link ForwardedHeaders}); body buffers pass through without copies. Timeouts are deadlines checked
 * by the loop's sweep, not timers. Runs entirely on the event loop of its client connection, which is also
 * the loop of its upstream connection.
 *
 * <p>Invariants: at most one attempt is current ({@code up}, or its {@code connector} while it connects); a
 * message from any other connection is dropped; at most one fallback; the body goes to an attempt in order,
 * queued until its connection is attached, and is replayed only from the kept copy.
 *
 * <p>A WebSocket upgrade request ({@link Upgrades}) is one attempt like any other, on a connection of its own
 * that is never pooled; a 101 answer turns both connections into a {@link Tunnel}, any other answer is relayed
 * and closes the client connection. It falls back to stable only when nothing was sent.
 */
final class Exchange extends ExchangeAnswer {
    private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");

    /**
     * The request has no body (neither Content-Length nor Transfer-Encoding), so the decoder handed it over as one
     * {@link FullHttpRequest}: it goes upstream as it is, encoded into one buffer.
     */
    private final boolean noBody;

    private UpstreamConnection up;
    /** Getting the current attempt a connection, when none was idle; null once it has one. */
    private Connector connector;
    /** The client's request body ended (its LastHttpContent arrived). */
    private boolean requestDone;
    /** The request's end was written to the current attempt's upstream. */
    private boolean requestSent;
    /** Canary-bound with fallback enabled, and not retried yet: a failure may still go to stable. */
    private boolean mayFallBack;
    /** Whether the body may still be replayed: idempotent and, so far, kept whole ({@link FallbackPolicy}). */
    private boolean replayable;
    private boolean bodyStarted;
    private boolean timedOut;
    private long responseDeadline;

    Exchange(FrontHandler front, HttpRequest request, LiveRoute route, String setCookieIdentity,
             boolean clientKeepAlive) {
        super(front, request, route, setCookieIdentity, clientKeepAlive);
        this.noBody = request instanceof FullHttpRequest;
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
                ForwardedHeaders.request(request, trusted, peer, hostHeader, loop.secure, upgrade);
                route.observer().onFallback("circuit_open"); // no attempt failed: no WARN, no fallback in the access log
                attempt(Version.STABLE);
                return;
            }
            breakerPermit(breaker != null);
            Fallback f = route.config().fallback();
            mayFallBack = f.enabled();
            if (mayFallBack) {
                // An upgrade is never replayed once sent: only a connection that could not be made falls back.
                replayable = !upgrade && FallbackPolicy.replayableHead(f, request.method().name(), h.contains(IDEMPOTENCY_KEY),
                        h.get(HttpHeaderNames.CONTENT_LENGTH));
            }
        }
        ForwardedHeaders.request(request, trusted, peer, hostHeader, loop.secure, upgrade);
        mirrorCapture();
        attempt(v);
    }

    @Override
    boolean requestDone() {
        return requestDone;
    }

    /** Starts an attempt on {@code v}'s upstream: on an idle pooled connection, else on one a {@link Connector} gets. */
    private void attempt(Version v) {
        attemptStarted(v);
        Upstream upstream = route.upstream(v);
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
        boolean current = c == connector;
        if (current) {
            connector = null;
            front.resume(FrontHandler.PAUSE_CONNECT);
        }
        if (!current || done()) {
            if (fresh != null) {
                loop.release(fresh); // a stale attempt's connection, or one no longer wanted, is still a good one
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
        boolean replay = bodyStarted; // a second attempt after the body already went to the canary
        bodyStarted = true;
        if (body.sendRequest(front, c, request, replay)) {
            requestWritten();
        }
        if (!replay && !c.isWritable()) {
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
        if (last) {
            ForwardedHeaders.requestTrailers((LastHttpContent) c);
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
        if (u != null && !done()) {
            u.touch(front.lastActivity());
            front.writeUpstream(u.channel, c);
            if (last) {
                requestWritten();
            } else if (!u.channel.isWritable()) {
                front.pause(FrontHandler.PAUSE_UPSTREAM);
            }
        } else if (!done() && !bodyStarted) {
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
        if (u != up || done()) {
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

    /** The current attempt's connection failed or must be abandoned. */
    void failUpstream(Throwable cause) {
        UpstreamConnection u = up;
        u.fail(cause);
        upstreamClosed(u, cause);
    }

    /** The current attempt's connection closed: before the head a failed attempt, after it a cut response. */
    void upstreamClosed(UpstreamConnection u, Throwable cause) {
        if (u != up || done()) {
            return;
        }
        up = null;
        Throwable c = cause != null ? cause : new IOException("Connection was closed");
        if (!u.relay.headSent()) {
            attemptFailed(timedOut || Failures.isTimeout(c) ? Outcome.TIMEOUT : Outcome.RESET, c, false);
            return;
        }
        cutAfterHead(u, c);
    }

    private void attemptFailed(Outcome outcome, Throwable cause, boolean neverSent) {
        dropConnection();
        attemptEnded(outcome);
        if (mayFallBack
            && FallbackPolicy.retriesOnFailure(route.config().fallback(), neverSent, replayable, requestDone)) {
            fallBack(outcome.tag(), cause);
            return;
        }
        respondError(outcome, cause, timedOut);
    }

    private void fallBack(String reason, Throwable cause) {
        fellBack(reason, cause);
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

    @Override
    boolean detachAttempt() {
        up = null;
        responseDeadline = 0;
        return requestSent;
    }

    /** The client connection closed. */
    void clientGone() {
        if (abandon()) {
            if (connector != null) {
                connector.cancel();
            }
            dropConnection();
            releaseBreakerPermit();
        }
        body.releaseQueued();
        body.releaseReplay();
    }

    /** Called by the loop's sweep: enforces the response timeout and the upstream idle timeout. */
    void sweep(long now) {
        Connector c = connector;
        if (c != null && !done() && c.expireWait(now)) {
            return;
        }
        UpstreamConnection u = up;
        if (done() || u == null) {
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
