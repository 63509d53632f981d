package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Fallback;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the gateway. Forwards it to the chosen upstream with bodies
 * streamed both ways (back-pressure), and, when a canary attempt fails before anything reached the client,
 * retries it once on stable where that is safe (DESIGN.md "Fallback to stable"):
 * <ul>
 *   <li>a connect failure: always, the request never left the gateway (its body is still unread);</li>
 *   <li>a reset or timeout before the response head, or a status in {@code fallback.on-status}: only for
 *       idempotent methods or requests with an {@code Idempotency-Key}, and only when the whole body was
 *       received and fitted the replay buffer ({@code fallback.max-replay-body}).</li>
 * </ul>
 * So an upstream sees a request at most twice (canary, then stable) and a POST that reached the canary is
 * never replayed. Runs entirely on the event loop that received the request.
 */
final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    static final String VERSION_HEADER = "X-Ramp-Version";

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final LiveRoute route;
    private final boolean trusted;
    private final String setCookieIdentity;
    private final UpstreamClients clients;
    private final ProxyObserver observer;

    private Version version;
    private long attemptStart;
    private HttpClientRequest upstreamRequest;
    private long responseTimer = -1;
    private boolean timedOut;
    private boolean done;
    /** Whether this attempt may still fall back to stable (a canary attempt with fallback enabled). */
    private boolean mayFallBack;
    /** The request body as sent to the canary, kept for a replay; null once it cannot be replayed. */
    private Buffer replay;
    private boolean bodyStarted;
    private boolean breakerPermit;

    Exchange(HttpServerRequest request, LiveRoute route, boolean trusted, String setCookieIdentity,
             UpstreamClients clients, ProxyObserver observer) {
        this.request = request;
        this.response = request.response();
        this.route = route;
        this.trusted = trusted;
        this.setCookieIdentity = setCookieIdentity;
        this.clients = clients;
        this.observer = observer;
    }

    void start(Version v) {
        request.pause();
        response.closeHandler(x -> onClientGone());
        if (v == Version.CANARY) {
            CircuitBreaker breaker = route.canaryBreaker();
            if (breaker != null && !breaker.tryAcquirePermission()) {
                // The canary is known to be down: do not make this user wait on it.
                observer.onFallback(route, "circuit_open");
                attempt(Version.STABLE);
                return;
            }
            breakerPermit = breaker != null;
            Fallback f = route.config().fallback();
            mayFallBack = f.enabled();
            if (mayFallBack && replayable(f)) {
                replay = Buffer.buffer();
            }
        }
        attempt(v);
    }

    /** Whether a body that already reached the canary may be sent again to stable. */
    private boolean replayable(Fallback f) {
        boolean idempotent = Forwarding.idempotentMethod(request.method().name())
                             || request.headers().contains("idempotency-key");
        return Forwarding.replayableHead(idempotent, request.getHeader(HttpHeaders.CONTENT_LENGTH), f);
    }

    private void attempt(Version v) {
        version = v;
        RouteConfig rc = route.config();
        Upstream upstream = route.upstream(v);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(request.uri())
                .setConnectTimeout(rc.timeouts().connect().toMillis());
        attemptStart = System.nanoTime();
        timedOut = false;
        upstreamRequest = null;
        clients.client(upstream, rc.timeouts(), route.poolKey(v)).request(options).onComplete(this::onConnected);
    }

    private void onConnected(AsyncResult<HttpClientRequest> ar) {
        if (done) {
            if (ar.succeeded()) {
                ar.result().reset();
            }
            return;
        }
        if (ar.failed()) {
            attemptFailed(Outcome.CONNECT_ERROR, ar.cause(), true);
            return;
        }
        HttpClientRequest up = ar.result();
        upstreamRequest = up;
        copyRequestHeaders(up);
        up.response().onComplete(r -> onResponse(up, r));
        if (bodyStarted) {
            // Second attempt after the body already went to the canary: replay the kept copy.
            up.end(replay).onComplete(sent -> startResponseTimer(up));
            return;
        }
        bodyStarted = true;
        if (replay == null) {
            // Bodies stream with back-pressure; a client that aborts its upload resets the upstream request
            // instead of letting a truncated body look complete.
            request.pipe().endOnFailure(false).to(up).onComplete(piped -> {
                if (piped.failed()) {
                    if (!done && upstreamRequest == up) {
                        up.reset();
                    }
                    return;
                }
                startResponseTimer(up);
            });
        } else {
            teeBody(up);
        }
    }

    /** Streams the body to the canary and keeps a copy for a replay while it fits the replay buffer. */
    private void teeBody(HttpClientRequest up) {
        long max = route.config().fallback().maxReplayBody();
        request.handler(chunk -> {
            if (replay != null) {
                if (replay.length() + chunk.length() > max) {
                    replay = null; // too big to keep: this request can no longer be replayed
                } else {
                    replay.appendBuffer(chunk);
                }
            }
            if (upstreamRequest != up) {
                return; // the canary attempt already failed; only keeping the copy
            }
            up.write(chunk);
            if (up.writeQueueFull()) {
                request.pause();
                up.drainHandler(v -> request.resume());
            }
        });
        request.exceptionHandler(e -> {
            if (!done && upstreamRequest == up) {
                up.reset();
            }
        });
        request.endHandler(v -> {
            if (upstreamRequest == up) {
                up.end().onComplete(sent -> startResponseTimer(up));
            }
        });
        request.resume();
    }

    private void copyRequestHeaders(HttpClientRequest up) {
        MultiMap in = request.headers();
        MultiMap out = up.headers();
        Headers.copyEndToEnd(in, out, "host", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host");
        String te = in.get(HttpHeaders.TRANSFER_ENCODING);
        if (te != null && te.regionMatches(true, te.length() - 7, "chunked", 0, 7)) {
            out.remove(HttpHeaders.CONTENT_LENGTH);
            up.setChunked(true);
        }
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String xff = in.get("x-forwarded-for");
        out.set("x-forwarded-for", trusted && xff != null ? xff + ", " + peer : peer);
        String proto = in.get("x-forwarded-proto");
        out.set("x-forwarded-proto", trusted && proto != null ? proto : request.scheme());
        String fwdHost = in.get("x-forwarded-host");
        if (trusted && fwdHost != null) {
            out.set("x-forwarded-host", fwdHost);
        } else if (request.authority() != null) {
            out.set("x-forwarded-host", request.authority().toString());
        }
    }

    private void startResponseTimer(HttpClientRequest up) {
        if (done || responseTimer != -1 || upstreamRequest != up || up.response().isComplete()) {
            return;
        }
        long ms = route.config().timeouts().response().toMillis();
        responseTimer = clients.vertx().setTimer(ms, id -> {
            responseTimer = -1;
            if (!done && upstreamRequest == up && !up.response().isComplete()) {
                timedOut = true;
                up.reset(0, new Forwarding.ResponseTimeout(ms));
            }
        });
    }

    private void cancelResponseTimer() {
        if (responseTimer != -1) {
            clients.vertx().cancelTimer(responseTimer);
            responseTimer = -1;
        }
    }

    private void onResponse(HttpClientRequest up, AsyncResult<HttpClientResponse> ar) {
        if (upstreamRequest != up) {
            return; // a stale attempt
        }
        cancelResponseTimer();
        if (done) {
            return;
        }
        if (ar.failed()) {
            attemptFailed(timedOut || Forwarding.isTimeout(ar.cause()) ? Outcome.TIMEOUT : Outcome.RESET, ar.cause(), false);
            return;
        }
        HttpClientResponse resp = ar.result();
        int status = resp.statusCode();
        if (mayFallBack && route.config().fallback().retriesOn(status) && canReplay()) {
            Outcome outcome = Outcome.ofStatus(status);
            observer.onAttempt(route, version, outcome, System.nanoTime() - attemptStart);
            breakerResult(outcome);
            discard(up, resp);
            fallBack("status_" + status, null);
            return;
        }
        relay(up, resp, status);
    }

    private void relay(HttpClientRequest up, HttpClientResponse resp, int status) {
        response.setStatusCode(status);
        if (resp.statusMessage() != null) {
            response.setStatusMessage(resp.statusMessage());
        }
        MultiMap out = response.headers();
        Headers.copyEndToEnd(resp.headers(), out);
        decorate();
        boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (!bodyless && !out.contains(HttpHeaders.CONTENT_LENGTH) && request.version() != HttpVersion.HTTP_1_0) {
            response.setChunked(true);
        }
        // Vert.x sends the head with the first body bytes; an upstream that answers its head now and its body
        // later (long polls, streams) must not have its head held back.
        if (!bodyless) {
            response.writeHead();
        }
        resp.pipe().endOnFailure(false).to(response).onComplete(piped -> {
            if (done) {
                return;
            }
            done = true;
            long nanos = System.nanoTime() - attemptStart;
            if (piped.succeeded()) {
                Outcome outcome = Outcome.ofStatus(status);
                observer.onAttempt(route, version, outcome, nanos);
                breakerResult(outcome);
                observer.onClientResponse(route, version, status);
            } else {
                // Headers already reached the client: the only honest signal left is to cut the connection,
                // so a truncated body is never passed off as complete.
                log.debug("route={} version={} response failed after its head: {}", route.name(), version.tag(),
                        String.valueOf(piped.cause()));
                observer.onAttempt(route, version, Outcome.RESET, nanos);
                breakerResult(Outcome.RESET);
                observer.onClientResponse(route, version, status);
                up.reset();
                response.reset();
            }
        });
    }

    /** Throws away a canary answer that will be replaced by stable's; small bodies keep the connection. */
    private static void discard(HttpClientRequest up, HttpClientResponse resp) {
        String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.length() < 6) {
            resp.body(); // drain, so the pooled connection can be reused
        } else {
            up.reset();
        }
    }

    /** Whether the request could be sent to stable now: the copy is complete. */
    private boolean canReplay() {
        return replay != null && request.isEnded();
    }

    private void attemptFailed(Outcome outcome, Throwable cause, boolean neverSent) {
        long nanos = System.nanoTime() - attemptStart;
        observer.onAttempt(route, version, outcome, nanos);
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        breakerResult(outcome);
        if (mayFallBack) {
            if (neverSent || canReplay()) {
                fallBack(outcome.tag(), cause);
                return;
            }
        }
        done = true;
        respondError(outcome, cause);
    }

    private void fallBack(String reason, Throwable cause) {
        log.warn("route={} version=canary fell back to stable: {}{}", route.name(), reason,
                cause == null ? "" : " (" + Forwarding.reason(cause) + ")");
        observer.onFallback(route, reason);
        mayFallBack = false;
        upstreamRequest = null;
        if (!bodyStarted) {
            replay = null; // nothing was sent: stable gets the untouched request stream
        }
        attempt(Version.STABLE);
    }

    /** Reports a canary attempt's result to its breaker, once. */
    private void breakerResult(Outcome outcome) {
        if (!breakerPermit) {
            return;
        }
        breakerPermit = false;
        Forwarding.recordOnBreaker(route.canaryBreaker(), outcome, System.nanoTime() - attemptStart);
    }

    /** Headers the gateway adds to every answer it relays. */
    private void decorate() {
        RouteConfig rc = route.config();
        if (setCookieIdentity != null) {
            response.headers().add(HttpHeaders.SET_COOKIE, Forwarding.identityCookie(rc.sticky(), setCookieIdentity));
        }
        if (rc.exposeVersionHeader()) {
            response.headers().set(VERSION_HEADER, version.tag());
        }
    }

    private void respondError(Outcome outcome, Throwable cause) {
        Forwarding.Failure failure = Forwarding.upstreamFailure(route, version, outcome, cause, timedOut);
        GatewayError error = failure.error();
        String message = failure.message();
        log.debug("route={} version={} outcome={} {}", route.name(), version.tag(), outcome.tag(), message);
        boolean bodyPending = !request.isEnded();
        var sent = error.send(response, route.name(), message);
        if (sent == null) {
            response.reset();
            return;
        }
        observer.onClientResponse(route, null, error.status());
        if (bodyPending) {
            // The unread rest of the request body would poison this keep-alive connection.
            sent.onComplete(v -> request.connection().close());
        }
    }

    private void onClientGone() {
        if (!done) {
            done = true;
            cancelResponseTimer();
            if (upstreamRequest != null) {
                upstreamRequest.reset();
            }
            if (breakerPermit) {
                breakerPermit = false;
                route.canaryBreaker().releasePermission();
            }
        }
    }

}
