package dev.ramp.gateway.control;

import dev.ramp.gateway.rollout.GateAnswer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Gates} over HTTP: a GET to each gate, all at once, on a Vert.x {@link HttpClient} (its event loop,
 * never the guard thread). A 2xx lets the step go; any other status, a connection failure or no answer
 * within the timeout holds it, with the answer named ({@code "503"}, {@code "timed out after 10s"}). The
 * body is drained and ignored: a gate says yes or no by its status, as Flagger's webhooks do.
 */
final class HttpGates implements Gates {
    private final HttpClient client;

    HttpGates(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(4));
    }

    @Override
    public Future<List<GateAnswer>> ask(List<URI> urls, Duration timeout) {
        List<Future<GateAnswer>> answers = new ArrayList<>();
        for (URI url : urls) {
            answers.add(ask(url, timeout));
        }
        return Future.join(answers).transform(ar -> {
            List<GateAnswer> out = new ArrayList<>();
            answers.forEach(f -> out.add(f.result()));
            return Future.succeededFuture(out);
        });
    }

    private Future<GateAnswer> ask(URI url, Duration timeout) {
        String text = url.toString();
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(text)
                    .setTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                    .putHeader("User-Agent", "ramp-rollout-gate");
        } catch (RuntimeException e) {
            return Future.succeededFuture(new GateAnswer(text, false, "bad URL: " + e.getMessage()));
        }
        return client.request(options)
                .compose(req -> req.send().compose(HttpGates::drained))
                .transform(ar -> {
                    if (ar.failed()) {
                        return Future.succeededFuture(new GateAnswer(text, false, describe(ar.cause(), timeout)));
                    }
                    int status = ar.result();
                    return Future.succeededFuture(new GateAnswer(text, status >= 200 && status < 300,
                            String.valueOf(status)));
                });
    }

    private static Future<Integer> drained(HttpClientResponse response) {
        return response.body().map(b -> response.statusCode());
    }

    private static String describe(Throwable cause, Duration timeout) {
        String name = cause.getClass().getSimpleName();
        if (cause instanceof java.util.concurrent.TimeoutException || name.contains("Timeout")
            || String.valueOf(cause.getMessage()).contains("timeout")) {
            return "timed out after " + timeout.toMillis() + "ms";
        }
        return cause.getMessage() == null ? name : cause.getMessage();
    }

    void close() {
        client.close();
    }
}
