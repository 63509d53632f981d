package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.proxy.http1.Headers;
import dev.ramp.gateway.proxy.CanaryBreakers;
import dev.ramp.gateway.proxy.FallbackPolicy;
import dev.ramp.gateway.proxy.Failures;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.LiveRoute;

import dev.ramp.gateway.config.Fallback;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the Netty engine: the same contract as {@link Exchange} (bodies
 * streamed both ways with back-pressure; a canary attempt that fails before anything reached the client is
 * retried once on stable where DESIGN.md "Fallback to stable" allows it), written on Netty objects. The
 * request head and the upstream's response head are forwarded as the same objects with their headers
 * rewritten in place, and body buffers pass through without copies. Timeouts are deadlines checked by the
 * loop's sweep, not timers. Runs entirely on the event loop of its client connection, which is also the
 * loop of its upstream connection.
 */
final class Exchange implements ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final AsciiString VERSION_HEADER = AsciiString.cached("X-Ramp-Version");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");
    private static final AsciiString HTTP = AsciiString.cached("http");

    private final FrontHandler front;
    private final Loop loop;
    private final HttpRequest request;
    private final LiveRoute route;
    /** The client's address (X-Forwarded-For), null when unknown. */
    private final AsciiString peer;
    private final boolean trusted;
    /** The client's Host header as received (X-Forwarded-Host), or null. */
    private final CharSequence hostHeader;
    private final String setCookieIdentity;
    final boolean clientKeepAlive;
    private final HttpVersion clientVersion;
    private final boolean head;
    /**
     * The request has no body (neither Content-Length nor Transfer-Encoding), so the decoder handed it over as one
     * {@link FullHttpRequest}: it goes upstream as it is, encoded into one buffer.
     */
    private final boolean noBody;

    private Version version;
    private long attemptStart;
    private UpstreamConnection up;
    private ChannelFuture connecting;
    /** The client's request body ended (its LastHttpContent arrived). */
    boolean requestDone;
    /** The request's end was written to the current attempt's upstream. */
    private boolean requestSent;
    /** The client got its whole answer (relayed or produced here). */
    boolean responded;
    /** The outcome is final: answered, failed after its head, or the client left. */
    private boolean done;
    private boolean headSent;
    /**
     * The relayed response head, held until its first body piece (or the end of the upstream's read burst) so
     * that a small whole response is encoded into one buffer and written once.
     */
    private HttpResponse pendingHead;
    private boolean skipInformationalEnd;
    private boolean closeAfterResponse;
    private int status;
    /** Whether this canary-bound request may still be retried on stable; null when it never may. */
    private FallbackPolicy fallback;
    private CompositeByteBuf replay;
    private boolean bodyStarted;
    private boolean breakerPermit;
    private boolean timedOut;
    private long responseDeadline;
    /** Body received while no upstream connection was attached yet. */
    private ArrayDeque<HttpContent> queued;

    Exchange(FrontHandler front, HttpRequest request, LiveRoute route, AsciiString peer, boolean trusted,
                  CharSequence hostHeader, String setCookieIdentity, boolean clientKeepAlive) {
        this.front = front;
        this.loop = front.loop();
        this.request = request;
        this.route = route;
        this.peer = peer;
        this.trusted = trusted;
        this.hostHeader = hostHeader;
        this.setCookieIdentity = setCookieIdentity;
        this.clientKeepAlive = clientKeepAlive;
        this.clientVersion = request.protocolVersion();
        this.head = request.method() == HttpMethod.HEAD;
        this.noBody = request instanceof FullHttpRequest;
    }

    void start(Version v) {
        HttpHeaders h = request.headers();
        if (v == Version.CANARY) {
            CircuitBreaker breaker = route.canaryBreaker();
            if (breaker != null && !breaker.tryAcquirePermission()) {
                // The canary is known to be down: do not make this user wait on it.
                prepareRequest();
                loop.observer.onFallback(route, "circuit_open");
                attempt(Version.STABLE);
                return;
            }
            breakerPermit = breaker != null;
            Fallback f = route.config().fallback();
            if (f.enabled()) {
                fallback = FallbackPolicy.forCanary(f, request.method().name(), h.contains(IDEMPOTENCY_KEY),
                        h.get(HttpHeaderNames.CONTENT_LENGTH));
            }
        }
        prepareRequest();
        attempt(v);
    }

    /** Whether the request is a HEAD (its response has no body). */
    boolean isHead() {
        return head;
    }

    /** Rewrites the client's request head in place into the one every attempt sends (Host is per attempt). */
    private void prepareRequest() {
        HttpHeaders h = request.headers();
        String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
        String xff = h.get(X_FORWARDED_FOR);
        String proto = h.get(X_FORWARDED_PROTO);
        String fwdHost = h.get(X_FORWARDED_HOST);
        Headers.stripHopByHop((FlatHeaders) h);
        h.remove(HttpHeaderNames.EXPECT);
        if (te != null && te.regionMatches(true, te.length() - 7, "chunked", 0, 7)) {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        h.set(X_FORWARDED_FOR, trusted && xff != null ? xff + ", " + peer : peer);
        if (trusted && proto != null) {
            h.set(X_FORWARDED_PROTO, proto);
        } else {
            h.set(X_FORWARDED_PROTO, HTTP);
        }
        if (!(trusted && fwdHost != null)) {
            if (hostHeader != null) {
                h.set(X_FORWARDED_HOST, hostHeader);
            } else {
                h.remove(X_FORWARDED_HOST);
            }
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private void attempt(Version v) {
        version = v;
        Upstream upstream = route.upstream(v);
        attemptStart = System.nanoTime();
        timedOut = false;
        requestSent = false;
        responseDeadline = 0;
        request.headers().set(HttpHeaderNames.HOST, route.authority(v));
        String key = route.poolKey(v);
        UpstreamConnection pooled = loop.acquire(key);
        if (pooled != null) {
            attach(pooled);
            return;
        }
        if (!requestDone) {
            front.pause(FrontHandler.PAUSE_CONNECT);
        }
        ChannelFuture f = loop.connect(upstream, key, (int) route.config().timeouts().connect().toMillis());
        connecting = f;
        f.addListener(this);
    }

    /** The connect of an attempt completed. */
    @Override
    public void operationComplete(ChannelFuture f) {
        UpstreamConnection fresh = f.isSuccess() ? (UpstreamConnection) f.channel().pipeline().get("upstream") : null;
        if (f != connecting) {
            if (fresh != null) {
                loop.release(fresh); // a stale attempt's connection is still a good one
            }
            return;
        }
        connecting = null;
        front.resume(FrontHandler.PAUSE_CONNECT);
        if (done) {
            if (fresh != null) {
                loop.release(fresh);
            }
            return;
        }
        if (fresh == null) {
            attemptFailed(Outcome.CONNECT_ERROR, f.cause(), true);
            return;
        }
        attach(fresh);
    }

    private void attach(UpstreamConnection u) {
        up = u;
        u.exchange = this;
        u.draining = false;
        u.cause = null;
        u.lastActivity = loop.clock;
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
            front.writeUpstream(c, replay == null ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new DefaultLastHttpContent(replay.retainedDuplicate()));
            requestWritten();
            return;
        }
        bodyStarted = true;
        front.writeUpstream(c, request);
        ArrayDeque<HttpContent> q = queued;
        if (q != null) {
            HttpContent m;
            while ((m = q.poll()) != null) {
                front.writeUpstream(c, m);
                if (m instanceof LastHttpContent) {
                    requestWritten();
                }
            }
        }
        if (!c.isWritable()) {
            front.pause(FrontHandler.PAUSE_UPSTREAM);
        }
    }

    private void requestWritten() {
        requestSent = true;
        if (!headSent) {
            responseDeadline = loop.clock + Loop.SWEEP_NANOS + route.config().timeouts().response().toNanos();
        }
    }

    /** A piece of the client's request body. */
    void onRequestContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        FallbackPolicy fb = fallback;
        if (fb != null && fb.keepsBody()) {
            int n = c.content().readableBytes();
            if (n > 0) {
                if (!fb.keep(n)) {
                    releaseReplay(); // too big to keep: this request can no longer be replayed
                } else {
                    if (replay == null) {
                        replay = c.content().alloc().compositeBuffer(64);
                    }
                    replay.addComponent(true, c.content().retainedDuplicate());
                }
            }
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
        UpstreamConnection u = up;
        if (u != null && !done) {
            u.lastActivity = front.lastActivity;
            front.writeUpstream(u.channel, c);
            if (last) {
                requestWritten();
            } else if (!u.channel.isWritable()) {
                front.pause(FrontHandler.PAUSE_UPSTREAM);
            }
        } else if (!done && !bodyStarted) {
            if (queued == null) {
                queued = new ArrayDeque<>(4);
            }
            queued.add(c);
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
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                failUpstream(r.decoderResult().cause());
                return;
            }
            int st = r.status().code();
            if (st < 200 && st != 101) {
                skipInformationalEnd = true; // 1xx: the final response follows
                ReferenceCountUtil.release(msg);
                return;
            }
            responseDeadline = 0;
            if (fallback != null && fallback.retriesOnStatus(st, requestDone)) {
                Outcome outcome = Outcome.ofStatus(st);
                long nanos = System.nanoTime() - attemptStart;
                loop.observer.onAttempt(route, version, outcome, nanos);
                breakerResult(outcome, nanos);
                discard(u, r);
                fallBack("status_" + st, null);
                return;
            }
            relayHead(u, r, st);
            if (r instanceof LastHttpContent) {
                // A whole small response from the decoder: relayed as it is.
                pendingHead = null;
                Channel client = front.channel();
                client.write(r, client.voidPromise());
                finishResponse(u);
            }
            return;
        }
        if (msg instanceof HttpContent c) {
            if (skipInformationalEnd) {
                c.release();
                if (c instanceof LastHttpContent) {
                    skipInformationalEnd = false;
                }
                return;
            }
            if (!headSent) {
                c.release();
                return;
            }
            if (c.decoderResult().isFailure()) {
                c.release();
                failUpstream(c.decoderResult().cause());
                return;
            }
            Channel client = front.channel();
            HttpResponse h = pendingHead;
            if (h != null && c instanceof LastHttpContent last) {
                // The whole response arrived in one burst: head and body go out as one message.
                pendingHead = null;
                client.write(new DefaultFullHttpResponse(h.protocolVersion(), h.status(), last.content(),
                        h.headers(), last.trailingHeaders()), client.voidPromise());
            } else {
                emitPendingHead();
                client.write(c, client.voidPromise());
            }
            u.flushClientLater(client);
            if (c instanceof LastHttpContent) {
                finishResponse(u);
            } else if (!client.isWritable()) {
                u.channel.config().setAutoRead(false);
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void relayHead(UpstreamConnection u, HttpResponse r, int st) {
        HttpHeaders h = r.headers();
        u.keepAlive = Headers.keepAlive(r);
        Headers.stripHopByHop((FlatHeaders) h);
        RouteConfig rc = route.config();
        if (setCookieIdentity != null) {
            h.add(HttpHeaderNames.SET_COOKIE, RouteDecision.identityCookie(rc.sticky(), setCookieIdentity));
        }
        if (rc.exposeVersionHeader()) {
            h.set(VERSION_HEADER, version.tag());
        }
        boolean bodyless = head || st == 204 || st == 304 || st < 200;
        if (!bodyless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (clientVersion == HttpVersion.HTTP_1_0) {
                closeAfterResponse = true; // the body ends when the connection does
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (closeAfterResponse || !clientKeepAlive || loop.shuttingDown) {
            closeAfterResponse = true;
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion == HttpVersion.HTTP_1_0) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(clientVersion);
        headSent = true;
        status = st;
        pendingHead = r;
        u.flushClientLater(front.channel());
    }

    /** Writes a head still held back (the upstream's read burst ended before any of its body). */
    void emitPendingHead() {
        HttpResponse h = pendingHead;
        if (h != null) {
            pendingHead = null;
            Channel client = front.channel();
            client.write(h, client.voidPromise());
        }
    }

    private void finishResponse(UpstreamConnection u) {
        done = true;
        responded = true;
        long nanos = System.nanoTime() - attemptStart;
        Outcome outcome = Outcome.ofStatus(status);
        loop.observer.onAttempt(route, version, outcome, nanos);
        breakerResult(outcome, nanos);
        loop.observer.onClientResponse(route, version, status);
        up = null;
        u.exchange = null;
        if (u.keepAlive && requestSent) {
            loop.release(u);
        } else {
            u.channel.close();
        }
        releaseReplay();
        front.resume(FrontHandler.PAUSE_UPSTREAM | FrontHandler.PAUSE_CONNECT);
        front.exchangeFinished(this, closeAfterResponse);
    }

    /** Throws away a canary answer that will be replaced by stable's; small bodies keep the connection. */
    private void discard(UpstreamConnection u, HttpResponse r) {
        String length = r.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        boolean reusable = Headers.keepAlive(r) && requestSent;
        boolean whole = r instanceof LastHttpContent; // its body came with it
        boolean keep = length != null && length.length() < 6 && reusable;
        ReferenceCountUtil.release(r);
        up = null;
        u.exchange = null;
        if (whole && reusable) {
            u.keepAlive = true;
            loop.release(u); // the whole answer was read with its head
        } else if (keep) {
            u.keepAlive = true;
            u.draining = true; // read to its end, then pooled again
        } else {
            u.channel.close();
        }
    }

    /** The current attempt's connection failed or must be abandoned. */
    private void failUpstream(Throwable cause) {
        UpstreamConnection u = up;
        if (u.cause == null) {
            u.cause = cause;
        }
        u.exchange = null;
        u.channel.close();
        upstreamClosed(u, cause);
    }

    /** The current attempt's connection closed: before the head a failed attempt, after it a cut response. */
    void upstreamClosed(UpstreamConnection u, Throwable cause) {
        if (u != up || done) {
            return;
        }
        up = null;
        Throwable c = cause != null ? cause : new IOException("Connection was closed");
        if (!headSent) {
            attemptFailed(timedOut || Failures.isTimeout(c) ? Outcome.TIMEOUT : Outcome.RESET, c, false);
            return;
        }
        // Headers already reached the client: the only honest signal left is to cut the connection, so a
        // truncated body is never passed off as complete.
        done = true;
        responded = true;
        log.debug("route={} version={} response failed after its head: {}", route.name(), version.tag(), c.toString());
        long nanos = System.nanoTime() - attemptStart;
        loop.observer.onAttempt(route, version, Outcome.RESET, nanos);
        breakerResult(Outcome.RESET, nanos);
        loop.observer.onClientResponse(route, version, status);
        releaseReplay();
        emitPendingHead();
        front.channel().close();
    }

    private void attemptFailed(Outcome outcome, Throwable cause, boolean neverSent) {
        long nanos = System.nanoTime() - attemptStart;
        loop.observer.onAttempt(route, version, outcome, nanos);
        UpstreamConnection u = up;
        if (u != null) {
            up = null;
            u.exchange = null;
            u.channel.close();
        }
        breakerResult(outcome, nanos);
        if (fallback != null && fallback.retriesOnFailure(neverSent, requestDone)) {
            fallBack(outcome.tag(), cause);
            return;
        }
        respondError(outcome, cause);
    }

    private void fallBack(String reason, Throwable cause) {
        log.warn("route={} version=canary fell back to stable: {}{}", route.name(), reason,
                cause == null ? "" : " (" + Failures.reason(cause) + ")");
        loop.observer.onFallback(route, reason);
        fallback.used();
        if (!bodyStarted) {
            releaseReplay(); // nothing was sent: stable gets the untouched request stream
        }
        attempt(Version.STABLE);
    }

    /** Reports a canary attempt's result to its breaker, once. */
    private void breakerResult(Outcome outcome, long nanos) {
        if (!breakerPermit) {
            return;
        }
        breakerPermit = false;
        CanaryBreakers.record(route.canaryBreaker(), outcome, nanos);
    }

    private void respondError(Outcome outcome, Throwable cause) {
        done = true;
        responded = true;
        Failures.Failure failure = Failures.upstreamFailure(route, version, outcome, cause, timedOut);
        log.debug("route={} version={} outcome={} {}", route.name(), version.tag(), outcome.tag(), failure.message());
        releaseQueued();
        releaseReplay();
        if (!front.channel().isActive()) {
            return;
        }
        // The unread rest of the request body would poison this keep-alive connection.
        boolean bodyPending = !requestDone;
        front.writeError(failure.error(), route.name(), failure.message(), clientVersion,
                bodyPending || !clientKeepAlive || loop.shuttingDown);
        loop.observer.onClientResponse(route, null, failure.error().status());
        front.resume(FrontHandler.PAUSE_UPSTREAM | FrontHandler.PAUSE_CONNECT);
        front.exchangeFinished(this, bodyPending || loop.shuttingDown);
    }

    /** The client connection closed. */
    void clientGone() {
        if (!done) {
            done = true;
            UpstreamConnection u = up;
            if (u != null) {
                up = null;
                u.exchange = null;
                u.channel.close();
            }
            if (breakerPermit) {
                breakerPermit = false;
                route.canaryBreaker().releasePermission();
            }
        }
        releaseQueued();
        releaseReplay();
    }

    /** Called by the loop's sweep: enforces the response timeout and the upstream idle timeout. */
    void sweep(long now) {
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
        if (idle > 0 && now - u.lastActivity > idle) {
            failUpstream(new TimeoutException("no data for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms"));
        }
    }

    void clientWritabilityChanged(boolean writable) {
        UpstreamConnection u = up;
        if (writable && u != null && !u.channel.config().isAutoRead()) {
            u.channel.config().setAutoRead(true);
        }
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (writable) {
            front.resume(FrontHandler.PAUSE_UPSTREAM);
        }
    }

    private void releaseQueued() {
        ArrayDeque<HttpContent> q = queued;
        if (q != null) {
            HttpContent c;
            while ((c = q.poll()) != null) {
                c.release();
            }
        }
    }

    private void releaseReplay() {
        CompositeByteBuf r = replay;
        if (r != null) {
            replay = null;
            r.release();
        }
    }
}
