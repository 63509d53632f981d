package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.RawHttp;
import dev.ramp.gateway.testing.RawUpstream;
import dev.ramp.gateway.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request trailers never reach the upstream: they would carry headers past every rule the head went through. */
class RequestTrailersTest {
    @TempDir
    Path dir;

    @Test
    void trailersOfAChunkedRequestAreDropped() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        try (RawUpstream upstream = RawUpstream.start(s -> {
            // The head, then the chunked body through its last chunk and whatever trailer section follows it.
            String head = RawUpstream.readHead(s.getInputStream());
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = s.getInputStream().read()) != -1) {
                b.write(c);
                String body = b.toString(StandardCharsets.ISO_8859_1);
                if (body.contains("0\r\n") && body.endsWith("\r\n\r\n")) {
                    break;
                }
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            received.complete(head + b.toString(StandardCharsets.ISO_8859_1));
        })) {
            int port = upstream.port();
            Gateway gateway = Gateway.start(TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop",
                    port, port, "0%", "circuit-breaker { enabled = false }\nguard { enabled = false }"), "")));
            try {
                String answer = RawHttp.exchange(gateway.port(), "POST /p HTTP/1.1\r\nHost: shop\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "5\r\nhello\r\n0\r\nX-Forwarded-For: 6.6.6.6\r\nHost: evil\r\n\r\n", 5000);
                assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
                String seen = received.get(5, TimeUnit.SECONDS);
                assertThat(seen).contains("5\r\nhello\r\n0\r\n\r\n").doesNotContain("6.6.6.6").doesNotContain("evil");
            } finally {
                gateway.shutdown(Duration.ofSeconds(1));
            }
        }
    }
}
