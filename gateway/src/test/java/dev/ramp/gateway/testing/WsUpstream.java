package dev.ramp.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket upstream on Vert.x, port 0, loopback:
 * <ul>
 *   <li>{@code /ws/refuse}: the handshake is refused with 403, {@code /ws/refuse-NNN} with NNN;</li>
 *   <li>{@code /ws/pipe...}: everything received is sent back as it came, with back-pressure ({@code pipeTo});</li>
 *   <li>any other path: each text message {@code m} is answered {@code <version>:m}; the message
 *       {@code close} makes it close the WebSocket.</li>
 * </ul>
 * It counts the WebSockets it accepted and those that closed.
 */
public final class WsUpstream {
    public final String version;
    public final int port;
    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    private final HttpServer server;

    private WsUpstream(Vertx vertx, String version, HttpServerOptions options) {
        this.version = version;
        this.server = vertx.createHttpServer(options.setMaxWebSocketMessageSize(1 << 20))
                .webSocketHandshakeHandler(h -> {
                    if (h.path().startsWith("/ws/refuse")) {
                        h.reject(h.path().startsWith("/ws/refuse-") ? Integer.parseInt(h.path().substring(11)) : 403);
                    } else {
                        h.accept();
                    }
                })
                .webSocketHandler(ws -> {
                    opened.incrementAndGet();
                    ws.closeHandler(v -> closed.incrementAndGet());
                    if (ws.path().startsWith("/ws/pipe")) {
                        ws.pipeTo(ws);
                        return;
                    }
                    ws.textMessageHandler(m -> {
                        if (m.equals("close")) {
                            ws.close();
                        } else {
                            ws.writeTextMessage(version + ":" + m);
                        }
                    });
                })
                .requestHandler(r -> r.response().end(version));
        this.port = server.listen(0, "127.0.0.1").await().actualPort();
    }

    public static WsUpstream start(Vertx vertx, String version) {
        return new WsUpstream(vertx, version, new HttpServerOptions());
    }

    /** The same over TLS, serving the PEM certificate chain and key in these files. */
    public static WsUpstream startTls(Vertx vertx, String version, Path cert, Path key) {
        return new WsUpstream(vertx, version, new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString())));
    }
}
