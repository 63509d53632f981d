package dev.ramp.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real upstreams for integration tests, on ephemeral ports:
 * <ul>
 *   <li>{@code GET /blob?size=N}: N deterministic bytes, streamed chunked;</li>
 *   <li>{@code POST /echo}: the request body streamed back;</li>
 *   <li>{@code /headers}: the request headers it received, as JSON;</li>
 *   <li>anything else: {@code {"name": ...}}.</li>
 * </ul>
 * It records every request it received (method, path, body size) and the connections it accepted.
 */
public final class TestUpstream implements AutoCloseable {
    public record Received(String method, String path, Map<String, String> headers, long bodyBytes, byte[] body) {
        Received(String method, String path, Map<String, String> headers, long bodyBytes) {
            this(method, path, headers, bodyBytes, null);
        }
    }

    /** How this upstream misbehaves: ok, status (answers {@link #faultStatus}), reset, hang. */
    public volatile String fault = "ok";
    public volatile int faultStatus = 503;

    private final HttpServer server;
    public final int port;
    public final String name;
    public final CopyOnWriteArrayList<Received> received = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();

    private TestUpstream(Vertx vertx, String name) {
        this(vertx, name, new HttpServerOptions());
    }

    private TestUpstream(Vertx vertx, String name, HttpServerOptions options) {
        this.name = name;
        this.server = vertx.createHttpServer(options)
                .connectionHandler(c -> connections.incrementAndGet())
                .requestHandler(this::handle);
        this.port = server.listen(0, "127.0.0.1").await().actualPort();
    }

    public static TestUpstream start(Vertx vertx, String name) {
        return new TestUpstream(vertx, name);
    }

    /**
     * An HTTPS upstream serving the PEM certificate chain and key in these files; the server name a client sent
     * (SNI) is recorded as the header {@code :sni}.
     */
    public static TestUpstream startTls(Vertx vertx, String name, Path cert, Path key) {
        return new TestUpstream(vertx, name, new HttpServerOptions().setSsl(true).setSni(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString())));
    }

    /** Deterministic content byte at offset i. */
    public static byte byteAt(long i) {
        return (byte) ((i * 31 + (i >>> 8)) & 0xff);
    }

    private void handle(HttpServerRequest req) {
        Map<String, String> headers = new ConcurrentHashMap<>();
        req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + "," + b));
        if (req.isSSL() && req.connection().indicatedServerName() != null) {
            headers.put(":sni", req.connection().indicatedServerName()); // the TLS server name the client sent
        }
        switch (fault) {
            case "reset" -> {
                received.add(new Received(req.method().name(), req.path(), headers, 0));
                req.connection().close();
                return;
            }
            case "hang" -> {
                received.add(new Received(req.method().name(), req.path(), headers, 0));
                return;
            }
            case "status" -> {
                req.body().onSuccess(b -> {
                    received.add(new Received(req.method().name(), req.path(), headers, b.length(), b.getBytes()));
                    req.response().setStatusCode(faultStatus).putHeader("content-type", "application/json")
                            .end("{\"error\":\"injected\",\"name\":\"" + name + "\"}");
                });
                return;
            }
            default -> { }
        }
        switch (req.path()) {
            case "/blob" -> {
                received.add(new Received(req.method().name(), req.path(), headers, 0));
                long size = Long.parseLong(req.getParam("size"));
                var resp = req.response().setChunked(true).putHeader("content-type", "application/octet-stream");
                long written = 0;
                while (written < size) {
                    int n = (int) Math.min(16 * 1024, size - written);
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = byteAt(written + i);
                    }
                    resp.write(Buffer.buffer(b));
                    written += n;
                }
                resp.end();
            }
            case "/echo" -> {
                var resp = req.response();
                String len = req.getHeader("content-length");
                if (len != null) {
                    resp.putHeader("content-length", len);
                } else {
                    resp.setChunked(true);
                }
                req.pipeTo(resp).onComplete(v ->
                        received.add(new Received(req.method().name(), req.path(), headers, resp.bytesWritten())));
            }
            case "/headers" -> req.body().onSuccess(b -> {
                received.add(new Received(req.method().name(), req.path(), headers, b.length()));
                JsonObject json = new JsonObject();
                headers.forEach(json::put);
                req.response().putHeader("content-type", "application/json")
                        .putHeader("connection", "close, x-upstream-private")
                        .putHeader("x-upstream-private", "secret")
                        .putHeader("keep-alive", "timeout=5")
                        .end(json.encode());
            });
            default -> req.body().onSuccess(b -> {
                received.add(new Received(req.method().name(), req.path(), headers, b.length(),
                        b.length() <= 64 * 1024 ? b.getBytes() : null));
                req.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("name", name).put("path", req.path()).encode());
            });
        }
    }

    /** Requests received for a path. */
    public long count(String path) {
        return received.stream().filter(r -> r.path().equals(path)).count();
    }

    @Override
    public void close() {
        try {
            server.close().await(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("upstream " + name + " did not close", e);
        }
    }

    /** A raw TCP server that answers every connection with {@code answer} and closes (broken HTTP). */
    public static NetServer broken(Vertx vertx, String answer) {
        NetServer s = vertx.createNetServer().connectHandler(sock -> sock.handler(b -> {
            sock.write(Buffer.buffer(answer)).onComplete(v -> sock.close());
        }));
        return s.listen(0, "127.0.0.1").await();
    }

    /** A raw TCP server that accepts and reads but never answers. */
    public static NetServer silent(Vertx vertx) {
        NetServer s = vertx.createNetServer().connectHandler(sock -> sock.handler(b -> { }));
        return s.listen(0, "127.0.0.1").await();
    }
}
