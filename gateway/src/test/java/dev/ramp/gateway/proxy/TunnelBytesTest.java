package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.RawUpstream;
import dev.ramp.gateway.testing.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade handshake and the tunnel's bytes on raw sockets at both ends: what the upstream receives, bytes
 * sent ahead of the 101 on either side, closes at the TCP level, and upgrade connections kept out of the pool.
 */
class TunnelBytesTest {
    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

    @TempDir
    Path dir;
    Gateway gateway;
    RawUpstream upstream;
    final CopyOnWriteArrayList<String> heads = new CopyOnWriteArrayList<>();
    final AtomicInteger upstreamEnds = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** An upstream that answers an upgrade with 101 and {@code early}, then echoes until "bye", then closes. */
    private void echoing(String early, String limits) throws Exception {
        upstream = RawUpstream.start(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = RawUpstream.readHead(in);
            if (head == null) {
                return;
            }
            heads.add(head);
            if (head.startsWith("GET /refuse")) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                upstreamEnds.addAndGet(in.read() == -1 ? 1 : 0);
                return;
            }
            if (!head.startsWith("GET /chat")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                while (RawUpstream.readHead(in) != null) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                return;
            }
            out.write((SWITCHING + early).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                String piece = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                out.write(buf, 0, n);
                out.flush();
                got.append(piece);
                if (got.toString().endsWith("bye")) {
                    return; // closes the connection
                }
            }
            upstreamEnds.incrementAndGet();
        });
        gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("chat",
                upstream.port(), upstream.port(), "0%", ""), limits)));
    }

    private static String readHead(InputStream in) throws IOException {
        String h = RawUpstream.readHead(in);
        assertThat(h).as("a response head").isNotNull();
        return h;
    }

    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    @Test
    void bytesEitherSideSentAheadOfThe101ArriveFirstAndInOrder() throws Exception {
        echoing("server-first|", "");
        try (Socket c = new Socket("127.0.0.1", gateway.port())) {
            c.setSoTimeout(5000);
            c.getOutputStream().write((UPGRADE + "client-early|").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = c.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 ").containsIgnoringCase("connection: upgrade")
                    .containsIgnoringCase("upgrade: websocket")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(read(in, 13)).isEqualTo("server-first|");
            assertThat(read(in, 13)).isEqualTo("client-early|");
            c.getOutputStream().write("later|".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(read(in, 6)).isEqualTo("later|");
            c.getOutputStream().write("bye".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(read(in, 3)).isEqualTo("bye");
            assertThat(in.read()).as("the upstream closed, so the client connection closes").isEqualTo(-1);
        }
        assertThat(heads).hasSize(1);
        assertThat(heads.get(0)).containsIgnoringCase("connection: upgrade").containsIgnoringCase("upgrade: websocket")
                .contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==").containsIgnoringCase("x-forwarded-for: 127.0.0.1")
                .doesNotContainIgnoringCase("keep-alive");
    }

    @Test
    void aClientThatGoesAwayClosesTheUpstreamConnection() throws Exception {
        echoing("", "");
        try (Socket c = new Socket("127.0.0.1", gateway.port())) {
            c.setSoTimeout(5000);
            c.getOutputStream().write(UPGRADE.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(c.getInputStream())).startsWith("HTTP/1.1 101 ");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreamEnds.get() == 1);
    }

    @Test
    void aRefusedUpgradeIsRelayedThenTheConnectionClosesAndItsUpstreamConnectionIsNotPooled() throws Exception {
        echoing("", "");
        String answer = RawHttp.exchange(gateway.port(), UPGRADE.replace("/chat", "/refuse") + "frame-bytes", 5000);
        assertThat(answer).startsWith("HTTP/1.1 403 ").containsIgnoringCase("connection: close").endsWith("no");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreamEnds.get() == 1);
    }

    @Test
    void otherUpgradesAndPlainRequestsStillLoseTheUpgradeHeader() throws Exception {
        echoing("", "");
        String h2c = UPGRADE.replace("/chat", "/other").replace("Upgrade: websocket", "Upgrade: h2c");
        assertThat(RawHttp.exchange(gateway.port(), h2c, 1000)).startsWith("HTTP/1.1 200 ").endsWith("plain");
        String post = UPGRADE.replace("GET /chat", "POST /other").replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n");
        assertThat(RawHttp.exchange(gateway.port(), post, 1000)).startsWith("HTTP/1.1 200 ");
        assertThat(heads).hasSize(2).allSatisfy(h -> assertThat(h).doesNotContainIgnoringCase("upgrade"));
    }

    @Test
    void tunnelsDoNotTakeTheSlotsOfTheOriginsPooledConnections() throws Exception {
        echoing("", "listen { limits { max-upstream-connections = 1, upstream-wait = 500ms } }");
        Socket[] tunnels = new Socket[3];
        try {
            for (int i = 0; i < tunnels.length; i++) {
                tunnels[i] = new Socket("127.0.0.1", gateway.port());
                tunnels[i].setSoTimeout(5000);
                tunnels[i].getOutputStream().write(UPGRADE.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readHead(tunnels[i].getInputStream())).startsWith("HTTP/1.1 101 ");
            }
            assertThat(RawHttp.exchange(gateway.port(), "GET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    5000)).startsWith("HTTP/1.1 200 ");
        } finally {
            for (Socket s : tunnels) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
