package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the gateway: forwards it to the chosen upstream with bodies
 * streamed both ways (back-pressure via pipes), and maps failures to the gateway's JSON errors.
 * Runs entirely on the event loop that received the request.
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
        attempt(v);
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
                .setConnectTimeout(rc.timeouts().connect().toMillis())
                .setIdleTimeout(rc.timeouts().idle().toMillis());
        attemptStart = System.nanoTime();
        clients.client(upstream).request(options).onComplete(this::onConnected);
    }

    private void onConnected(AsyncResult<HttpClientRequest> ar) {
        if (done) {
            if (ar.succeeded()) {
                ar.result().reset();
            }
            return;
        }
        if (ar.failed()) {
            failBeforeResponse(Outcome.CONNECT_ERROR, ar.cause());
            return;
        }
        HttpClientRequest up = ar.result();
        upstreamRequest = up;
        copyRequestHeaders(up);
        up.response().onComplete(this::onResponse);
        // Bodies stream with back-pressure; a client that aborts its upload resets the upstream request
        // instead of letting a truncated body look complete.
        request.pipe().endOnFailure(false).to(up).onComplete(piped -> {
            if (piped.failed()) {
                if (!done) {
                    up.reset();
                }
                return;
            }
            startResponseTimer();
        });
    }

    private void copyRequestHeaders(HttpClientRequest up) {
        MultiMap in = request.headers();
        MultiMap out = up.headers();
        Headers.copyEndToEnd(in, out, "host", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host");
        String chunkedIn = in.get(HttpHeaders.TRANSFER_ENCODING);
        if (chunkedIn != null && chunkedIn.toLowerCase().contains("chunked")) {
            out.remove(HttpHeaders.CONTENT_LENGTH);
            up.setChunked(true);
        }
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String xff = in.get("x-forwarded-for");
        out.set("x-forwarded-for", trusted && xff != null ? xff + ", " + peer : peer);
        String proto = in.get("x-forwarded-proto");
        out.set("x-forwarded-proto", trusted && proto != null ? proto : request.scheme());
        String fwdHost = in.get("x-forwarded-host");
        String host = request.authority() == null ? null : request.authority().toString();
        if (trusted && fwdHost != null) {
            out.set("x-forwarded-host", fwdHost);
        } else if (host != null) {
            out.set("x-forwarded-host", host);
        }
    }

    private void startResponseTimer() {
        if (done || responseTimer != -1 || upstreamRequest == null) {
            return;
        }
        long ms = route.config().timeouts().response().toMillis();
        HttpClientRequest up = upstreamRequest;
        responseTimer = clients.vertx().setTimer(ms, id -> {
            responseTimer = -1;
            if (!done && !up.response().isComplete()) {
                timedOut = true;
                up.reset(0, new ResponseTimeout(ms));
            }
        });
    }

    private void cancelResponseTimer() {
        if (responseTimer != -1) {
            clients.vertx().cancelTimer(responseTimer);
            responseTimer = -1;
        }
    }

    private void onResponse(AsyncResult<HttpClientResponse> ar) {
        cancelResponseTimer();
        if (done) {
            return;
        }
        if (ar.failed()) {
            failBeforeResponse(timedOut ? Outcome.TIMEOUT : Outcome.RESET, ar.cause());
            return;
        }
        HttpClientResponse up = ar.result();
        int status = up.statusCode();
        response.setStatusCode(status);
        if (up.statusMessage() != null) {
            response.setStatusMessage(up.statusMessage());
        }
        MultiMap out = response.headers();
        Headers.copyEndToEnd(up.headers(), out);
        decorate();
        boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (!bodyless && !out.contains(HttpHeaders.CONTENT_LENGTH) && request.version() != HttpVersion.HTTP_1_0) {
            response.setChunked(true);
        }
        up.pipe().endOnFailure(false).to(response).onComplete(piped -> {
            if (done) {
                return;
            }
            done = true;
            long nanos = System.nanoTime() - attemptStart;
            if (piped.succeeded()) {
                observer.onAttempt(route, version, Outcome.ofStatus(status), nanos);
                observer.onClientResponse(route, version, status);
            } else {
                // Headers already reached the client: the only honest signal left is to cut the
                // connection, so a truncated body is never passed off as complete.
                log.debug("route={} version={} response stream failed after headers: {}", route.name(),
                        version.tag(), String.valueOf(piped.cause()));
                observer.onAttempt(route, version, Outcome.RESET, nanos);
                observer.onClientResponse(route, version, status);
                if (upstreamRequest != null) {
                    upstreamRequest.reset();
                }
                response.reset();
            }
        });
    }

    /** Headers the gateway adds to every answer it relays. */
    private void decorate() {
        RouteConfig rc = route.config();
        if (setCookieIdentity != null) {
            response.addCookie(io.vertx.core.http.Cookie.cookie(rc.sticky().cookie(), setCookieIdentity)
                    .setPath("/")
                    .setHttpOnly(true)
                    .setSameSite(io.vertx.core.http.CookieSameSite.LAX)
                    .setMaxAge(rc.sticky().cookieMaxAge().toSeconds()));
        }
        if (rc.exposeVersionHeader()) {
            response.headers().set(VERSION_HEADER, version.tag());
        }
    }

    private void failBeforeResponse(Outcome outcome, Throwable cause) {
        done = true;
        long nanos = System.nanoTime() - attemptStart;
        observer.onAttempt(route, version, outcome, nanos);
        Upstream upstream = route.upstream(version);
        GatewayError error;
        String message;
        if (outcome == Outcome.TIMEOUT) {
            error = GatewayError.UPSTREAM_TIMEOUT;
            message = version.tag() + " upstream " + upstream.authority() + " sent no response within "
                      + route.config().timeouts().response().toMillis() + " ms";
        } else if (outcome == Outcome.CONNECT_ERROR && isConnectTimeout(cause)) {
            error = GatewayError.UPSTREAM_TIMEOUT;
            message = "connecting to " + version.tag() + " upstream " + upstream.authority() + " timed out after "
                      + route.config().timeouts().connect().toMillis() + " ms";
        } else if (outcome == Outcome.CONNECT_ERROR) {
            error = GatewayError.UPSTREAM_UNAVAILABLE;
            message = "cannot connect to " + version.tag() + " upstream " + upstream.authority() + ": " + reason(cause);
        } else {
            error = GatewayError.UPSTREAM_UNAVAILABLE;
            message = version.tag() + " upstream " + upstream.authority() + " failed before a complete response head: "
                      + reason(cause);
        }
        log.debug("route={} version={} outcome={} {}", route.name(), version.tag(), outcome.tag(), message);
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        respondError(error, message);
    }

    private void respondError(GatewayError error, String message) {
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
        }
    }

    private static boolean isConnectTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectTimeoutException || c instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (c.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }

    /** The response timeout fired before the upstream's response head arrived. */
    static final class ResponseTimeout extends Exception {
        private static final long serialVersionUID = 1L;

        ResponseTimeout(long ms) {
            super("no response head within " + ms + " ms", null, false, false);
        }
    }
}
