package dev.ramp.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.proxy.netty.SocketTransport;
import dev.ramp.gateway.testing.TestBed;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The data path serves traffic on each socket transport {@code ramp.listen.transport} names. */
class TransportIntegrationTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void theListenerRunsOnTheNamedTransportAndProxiesToBothVersions(String transport) throws Exception {
        SocketTransport expected = SocketTransport.valueOf(transport.toUpperCase(java.util.Locale.ROOT));
        assumeTrue(expected != SocketTransport.IO_URING || IoUring.isAvailable(), "io_uring cannot load here");
        assumeTrue(expected != SocketTransport.EPOLL || Epoll.isAvailable(), "epoll cannot load here");
        try (TestBed bed = new TestBed(dir)) {
            Gateway g = bed.start(bed.gatewayConf(null, bed.route("shop", "/", "50%"))
                                  + "ramp.listen.transport = " + transport + "\n");
            try {
                assertThat(g.transport()).isEqualTo(expected);
                Map<String, Integer> answered = new HashMap<>();
                for (int i = 0; i < 40; i++) {
                    HttpResponse<String> r = bed.get(TestBed.traffic(g, "/items/" + i), "X-User-Id", "user-" + i);
                    assertThat(r.statusCode()).isEqualTo(200);
                    answered.merge(new JsonObject(r.body()).getString("version"), 1, Integer::sum);
                }
                assertThat(answered.keySet()).containsExactlyInAnyOrder("stable", "canary");
                // A body larger than one read and one write on each hop.
                HttpResponse<String> post = bed.send(HttpRequest.newBuilder(URI.create(TestBed.traffic(g, "/upload")))
                        .header("X-User-Id", "user-0")
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(256 * 1024))));
                assertThat(post.statusCode()).isEqualTo(200);
                assertThat(bed.stable.served() + bed.canary.served()).isEqualTo(41);
                assertThat(bed.stable.served()).isEqualTo(answered.get("stable")
                        + (new JsonObject(post.body()).getString("version").equals("stable") ? 1 : 0));
            } finally {
                g.close();
            }
        }
    }
}
