package dev.ramp.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.rollout.GateAnswer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gates asked over real HTTP: a Vert.x server on port 0 that answers 200, 500, slowly, or never. */
class HttpGatesTest {
    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;
    private int port;
    private HttpGates gates;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/ok" -> req.response().setStatusCode(200).end("go");
                case "/no-content" -> req.response().setStatusCode(204).end();
                case "/fail" -> req.response().setStatusCode(500).end("load test failed");
                case "/redirect" -> req.response().setStatusCode(302).putHeader("Location", "/ok").end();
                case "/slow" -> vertx.setTimer(300, t -> req.response().setStatusCode(200).end());
                default -> { } // never answers
            }
        });
        port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        gates = new HttpGates(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private List<GateAnswer> ask(Duration timeout, URI... urls) throws Exception {
        return gates.ask(List.of(urls), timeout).await(10, TimeUnit.SECONDS);
    }

    @Test
    void twoHundredsLetTheStepGo() throws Exception {
        assertThat(ask(Duration.ofSeconds(5), url("/ok"), url("/no-content")))
                .containsExactly(new GateAnswer(url("/ok").toString(), true, "200"),
                        new GateAnswer(url("/no-content").toString(), true, "204"));
    }

    @Test
    void anyOtherStatusHoldsAndSaysWhich() throws Exception {
        assertThat(ask(Duration.ofSeconds(5), url("/ok"), url("/fail"), url("/redirect")))
                .extracting(GateAnswer::passed, GateAnswer::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, "200"),
                        org.assertj.core.groups.Tuple.tuple(false, "500"),
                        org.assertj.core.groups.Tuple.tuple(false, "302"));
    }

    @Test
    void aGateThatNeverAnswersHoldsAtTheTimeout() throws Exception {
        long t0 = System.nanoTime();
        List<GateAnswer> answers = ask(Duration.ofMillis(500), url("/never"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(a.passed()).isFalse();
            assertThat(a.detail()).isEqualTo("timed out after 500ms");
        });
        assertThat(tookMs).isBetween(400L, 5_000L);
    }

    @Test
    void aSlowGateWithinTheTimeoutLetsGo() throws Exception {
        assertThat(ask(Duration.ofSeconds(5), url("/slow"))).singleElement().extracting(GateAnswer::passed).isEqualTo(true);
    }

    @Test
    void aRefusedConnectionHolds() throws Exception {
        assertThat(ask(Duration.ofSeconds(5), URI.create("http://127.0.0.1:1/ok"))).singleElement()
                .satisfies(a -> {
                    assertThat(a.passed()).isFalse();
                    assertThat(a.detail()).containsIgnoringCase("refused");
                });
    }
}
