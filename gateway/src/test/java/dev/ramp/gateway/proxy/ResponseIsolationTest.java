package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.RawUpstream;
import dev.ramp.gateway.testing.TestConfigs;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sloppy upstream that sends a body after a HEAD answer must not have those bytes read as another client's
 * response: the connection that holds them is closed, never pooled.
 */
class ResponseIsolationTest {
    private static final String INJECTED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Injected: yes\r\n\r\nINJECTED";

    @TempDir
    Path dir;
    private RawUpstream upstream;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.shutdown(Duration.ofSeconds(1));
        }
        upstream.close();
    }

    /** Answers each request; a HEAD gets a head, 20 bytes of another response, and the rest a second later. */
    private static void connection(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        String head;
        while ((head = RawUpstream.readHead(in)) != null) {
            if (head.startsWith("HEAD ")) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + INJECTED.length() + "\r\n\r\n"
                           + INJECTED.substring(0, 20)).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(1000);
                out.write(INJECTED.substring(20).getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        }
    }

    @Test
    void bytesAfterAHeadAnswerNeverReachAnotherClient() throws Exception {
        upstream = RawUpstream.start(ResponseIsolationTest::connection);
        int port = upstream.port();
        String conf = TestConfigs.gateway(dir, TestConfigs.route("shop", port, port, "0%",
                "circuit-breaker { enabled = false }\nguard { enabled = false }"), "")
                .replace("event-loops = 2", "event-loops = 1"); // one loop, one pool: the victim would reuse it
        gateway = Gateway.start(TestConfigs.load(dir, conf));

        String attacker = RawHttp.exchange(gateway.port(),
                "HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
        assertThat(attacker).startsWith("HTTP/1.1 200");
        Thread.sleep(100);
        String victim = RawHttp.exchange(gateway.port(), "GET /y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                3000);
        assertThat(victim).startsWith("HTTP/1.1 200").doesNotContain("INJECTED").doesNotContain("X-Injected")
                .endsWith("ok");
    }
}
