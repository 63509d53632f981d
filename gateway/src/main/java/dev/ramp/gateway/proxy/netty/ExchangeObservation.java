package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.AccessLog;
import dev.ramp.gateway.proxy.CanaryBreakers;
import dev.ramp.gateway.proxy.FallbackLog;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.routing.Version;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What one request's {@link Exchange} tells the rest of the gateway, kept apart from how the request is carried:
 * the timing of its attempts, the canary breaker's permit, its fallbacks, and who hears how it ended: the
 * route's observer, the access log ({@link AccessLogging}) and its dark launch ({@link Mirror}). Also holds what
 * never changes for the request: its client connection, loop, head and route.
 *
 * <p>Invariants: every attempt is reported to the observer once ({@link #attemptEnded}); the canary's breaker
 * hears of at most one attempt, or gets its permission back when the client leaves first; the client's
 * response is reported once, with its access-log line ({@link #answered}). The dark-launch copy is captured
 * from the head as forwarded and sent only after stable's answer is whole, so the user never waits for it.
 * The base of the exchange object itself: nothing here allocates per request. Confined to the event loop of
 * the client connection.
 */
abstract class ExchangeObservation {
    final FrontHandler front;
    final Loop loop;
    final HttpRequest request;
    final LiveRoute route;
    /** The request's dark-launch copy when it was sampled ({@link Mirror}), else null. */
    Mirror mirror;

    /** The version the current attempt goes to. */
    private Version version;
    private long attemptStart;
    /** For the access log: the first attempt's start, the attempts' summed time, whether it fell back. */
    private long firstStart;
    private long upstreamNanos = -1;
    private boolean fellBack;
    /** The canary's breaker let this request through and has not heard of its outcome yet. */
    private boolean breakerPermit;

    ExchangeObservation(FrontHandler front, HttpRequest request, LiveRoute route) {
        this.front = front;
        this.loop = front.loop();
        this.request = request;
        this.route = route;
    }

    /** The version the current attempt goes to. */
    final Version version() {
        return version;
    }

    /** The client's channel, where the answer goes. */
    final Channel client() {
        return front.channel();
    }

    /** An attempt on {@code v} starts now. */
    final void attemptStarted(Version v) {
        version = v;
        attemptStart = System.nanoTime();
        if (firstStart == 0) {
            firstStart = attemptStart;
        }
    }

    /** Reports the current attempt's end to the observer and, once, to the canary's breaker. */
    final void attemptEnded(Outcome outcome) {
        long nanos = System.nanoTime() - attemptStart;
        upstreamNanos = upstreamNanos < 0 ? nanos : upstreamNanos + nanos;
        route.observer().onAttempt(version, outcome, nanos);
        if (breakerPermit) {
            breakerPermit = false;
            CanaryBreakers.record(route.canaryBreaker(), outcome, nanos);
        }
    }

    /** Whether the canary's breaker gave this request a permission, to be settled by its first attempt. */
    final void breakerPermit(boolean held) {
        breakerPermit = held;
    }

    /** The client left before the canary's attempt ended: the breaker's permission goes back unjudged. */
    final void releaseBreakerPermit() {
        if (breakerPermit) {
            breakerPermit = false;
            route.canaryBreaker().releasePermission();
        }
    }

    /** The request falls back to stable ({@code reason}: the metric's tag; {@code cause}: why, when known). */
    final void fellBack(String reason, Throwable cause) {
        FallbackLog.warn(route.name(), reason, cause, loop.now());
        route.observer().onFallback(reason);
        fellBack = true;
    }

    /**
     * The client got its answer: {@code status} from {@code servedBy} (null: the gateway's own error answer),
     * {@code bytesOut} body bytes relayed. Counted by the observer and, when the log is on, access-logged.
     */
    final void answered(Version servedBy, int status, long bytesOut) {
        route.observer().onClientResponse(servedBy, status);
        AccessLog log = loop.snapshot.get().accessLog();
        if (log != null) {
            AccessLogging.exchange(log, front.peer(), request, route, servedBy, status, firstStart, upstreamNanos,
                    fellBack, bytesOut);
        }
    }

    // The dark-launch hook: the copy's head is taken here, and the copy goes here ({@link Mirror}).

    /** The head is forwarded: the head stable gets is the head the canary's copy gets. */
    final void mirrorCapture() {
        if (mirror != null) {
            mirror.capture(request);
        }
    }

    /** The client's answer is whole: a sampled request's copy goes to the canary if stable answered it. */
    final void mirrorSend() {
        if (mirror != null && version == Version.STABLE) {
            loop.mirrors.send(mirror); // after stable's answer is whole: the user never waits for the copy
        }
    }
}
