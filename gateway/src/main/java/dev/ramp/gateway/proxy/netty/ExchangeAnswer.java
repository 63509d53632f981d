package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.Failures;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.http1.Upgrades;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one request's {@link Exchange} ends for its client, kept apart from the attempts that get it there: the
 * response head rewritten for the client ({@link ForwardedHeaders}) and the four endings: a relayed answer
 * complete, an upgrade answered 101 (then a {@link Tunnel}), a response cut after its head, and the error
 * answer {@link Failures} maps a failed attempt to. Each ending reports through {@link ExchangeObservation},
 * releases the request body it no longer needs and hands the client connection back to its
 * {@link FrontHandler}.
 *
 * <p>Invariants: an exchange ends once ({@link #done()} turns true and stays so), and after that nothing of
 * an attempt reaches the client; {@link #responded()} is true once the client has its whole answer (or its
 * connection is cut). The base of the exchange object itself: nothing here allocates per request. Confined
 * to the event loop of the client connection.
 */
abstract class ExchangeAnswer extends ExchangeObservation {
    /** Logged under the exchange's name: one logger for one request's story. */
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final String setCookieIdentity;
    private final boolean clientKeepAlive;
    private final HttpVersion clientVersion;
    private final boolean head;
    /** A WebSocket upgrade request ({@link Upgrades}): kept whole to the 101, then tunnelled. */
    final boolean upgrade;
    /** Body pieces waiting for a connection, and the copy kept for a replay; none for a bodiless request. */
    final BodyBuffers body;
    /** The client got its whole answer (relayed or produced here). */
    private boolean responded;
    /** The outcome is final: answered, failed after its head, or the client left. */
    private boolean done;

    ExchangeAnswer(FrontHandler front, HttpRequest request, LiveRoute route, String setCookieIdentity,
                   boolean clientKeepAlive) {
        super(front, request, route);
        this.setCookieIdentity = setCookieIdentity;
        this.upgrade = Upgrades.webSocket(request);
        // A refused upgrade closes: the client may already have sent bytes of the protocol it asked for.
        this.clientKeepAlive = clientKeepAlive && !upgrade;
        this.clientVersion = request.protocolVersion();
        this.head = request.method() == HttpMethod.HEAD;
        this.body = request instanceof FullHttpRequest ? BodyBuffers.NONE : new BodyBuffers();
    }

    /** Whether the client's request body has ended. */
    abstract boolean requestDone();

    /**
     * The current attempt's response ended (whole, or as an upgrade): forgets its connection and its response
     * deadline. Returns whether the request was written to it whole (only then may it serve another).
     */
    abstract boolean detachAttempt();

    /** Whether the request asks for a WebSocket upgrade. */
    final boolean upgrade() {
        return upgrade;
    }

    /** Whether the request is a HEAD (its response has no body). */
    final boolean isHead() {
        return head;
    }

    /** Whether the client got its whole answer. */
    final boolean responded() {
        return responded;
    }

    /** Whether the outcome is final: nothing of an attempt may reach the client any more. */
    final boolean done() {
        return done;
    }

    /** Whether the client asked to keep its connection open after this exchange. */
    final boolean clientKeepAlive() {
        return clientKeepAlive;
    }

    /** The client left before the outcome was final: returns true the first time, when there is cleaning up to do. */
    final boolean abandon() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    /** Rewrites a response head for the client; returns whether the client connection closes after it. */
    final boolean rewriteResponseHead(HttpResponse r, int st) {
        return ForwardedHeaders.response(r, st, route.config(), version(), setCookieIdentity, head, clientVersion,
                !clientKeepAlive || loop.shuttingDown(), loop.secure);
    }

    /** The response relayed from {@code u} is complete. */
    final void finishResponse(UpstreamConnection u) {
        done = true;
        responded = true;
        attemptEnded(Outcome.ofStatus(u.relay.status()));
        answered(version(), u.relay.status(), u.relay.bytesOut());
        boolean sent = detachAttempt();
        u.finish(u.keepAlive() && sent);
        mirrorSend();
        body.releaseReplay();
        front.resume(FrontHandler.PAUSE_UPSTREAM | FrontHandler.PAUSE_CONNECT);
        front.exchangeFinished(this, u.relay.closesClient());
    }

    /** The upstream switched protocols ({@code r}: its 101): one successful attempt, then a {@link Tunnel}. */
    final void upgraded(UpstreamConnection u, HttpResponse r) {
        done = true;
        responded = true;
        detachAttempt();
        u.tunnelled();
        attemptEnded(Outcome.ofStatus(101));
        answered(version(), 101, 0);
        String protocol = r.headers().get(HttpHeaderNames.UPGRADE);
        rewriteResponseHead(r, 101);
        Tunnel.keepUpgrade(r, protocol != null ? protocol : request.headers().get(HttpHeaderNames.UPGRADE));
        front.tunnel(this, u, r, route, version());
    }

    /**
     * {@code u} closed ({@code c}: why) after the response head reached the client: the only honest signal left
     * is to cut the connection, so a truncated body is never passed off as complete.
     */
    final void cutAfterHead(UpstreamConnection u, Throwable c) {
        done = true;
        responded = true;
        log.debug("route={} version={} response failed after its head: {}", route.name(), version().tag(), c.toString());
        attemptEnded(Outcome.RESET);
        answered(version(), u.relay.status(), u.relay.bytesOut());
        body.releaseReplay();
        u.relay.emitPendingHead(front.channel());
        // Flushed before the close: a close drops unflushed writes, and a client that saw no byte at all
        // would take the cut for a stale keep-alive connection and send the request again.
        front.closeAfterWrites();
    }

    /** The last attempt failed ({@code outcome}, {@code cause}): the client gets the error it maps to. */
    final void respondError(Outcome outcome, Throwable cause, boolean timedOut) {
        done = true;
        responded = true;
        Failures.Failure failure = Failures.upstreamFailure(route, version(), outcome, cause, timedOut);
        log.debug("route={} version={} outcome={} {}", route.name(), version().tag(), outcome.tag(), failure.message());
        body.releaseQueued();
        body.releaseReplay();
        if (!front.channel().isActive()) {
            return;
        }
        // The unread rest of the request body would poison this keep-alive connection.
        boolean bodyPending = !requestDone();
        front.writeError(failure.error(), route.name(), failure.message(), clientVersion,
                bodyPending || !clientKeepAlive || loop.shuttingDown());
        answered(null, failure.error().status(), 0);
        front.resume(FrontHandler.PAUSE_UPSTREAM | FrontHandler.PAUSE_CONNECT);
        front.exchangeFinished(this, bodyPending || loop.shuttingDown());
    }
}
