package dev.ramp.gateway.proxy.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.proxy.ExplainRequest;
import dev.ramp.gateway.proxy.Explanation;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.http1.CharSlice;
import dev.ramp.gateway.proxy.http1.ClientCodec;
import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.testing.TestConfigs;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explain answers what the data path does: random requests are decoded by the gateway's own decoder and decided
 * through {@link DataPathFacts} (views into the head), and described to {@link RouteDecision#explain} as an
 * operator would (decoded values, the client's address); both must give the same version and the same rule.
 */
class ExplainAgreesWithDataPathTest {
    static final String RULES = """
            rules = [
              { match { header { "X-Plan" = "beta" }, query { preview = "yes" } }, version = "canary" }
              { match { cookie { optout = ["1", "true"] } }, version = "stable" }
              { match { query { preview = { regex = "y.s" } } }, weight = "80%" }
              { match { source = ["10.0.0.0/8", "2001:db8::/32"] }, weight = "50%" }
              { match { path-prefix = "/api", header { "X-Plan" = { regex = "(?i)FREE" } } }, weight = "30%" }
              { match { path-prefix = "/api/internal" }, version = "stable" }
            ]
            """;
    private static final String TRUSTED_PEER = "127.0.0.1";
    private static final String UNTRUSTED_PEER = "198.51.100.7";

    @TempDir
    Path dir;
    private RoutingSnapshot snapshot;
    private LiveRoute route;
    private int lastRule;

    @BeforeEach
    void load() {
        GatewayConfig c = TestConfigs.load(dir, TestConfigs.gateway(dir, TestConfigs.route("shop", 9001, 9002, "10%",
                RULES), "trusted-sources = [\"127.0.0.1/32\", \"192.168.0.0/16\"]"));
        route = new LiveRoute(c.routes().get(0), null, new RouteState(), new RouteObserver() {
            @Override
            public void onRuleMatch(int rule) {
                lastRule = rule;
            }
        });
        snapshot = new RoutingSnapshot(c, List.of(route));
    }

    /** One random request, both as the bytes a client sends and as the facts an operator would give explain. */
    private record Sample(String wire, String user, Map<String, String> headers, Map<String, String> cookies,
                          Map<String, String> query, String peer, String source, String path) {}

    private static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static Sample sample(Random r) {
        String user = "u" + r.nextInt(1_000_000);
        String path = pick(r, List.of("/", "/shop/cart", "/api", "/api/x", "/api/internal/y", "/apix"));
        Map<String, String> headers = new HashMap<>();
        Map<String, String> cookies = new HashMap<>();
        Map<String, String> query = new HashMap<>();
        StringBuilder head = new StringBuilder();
        String plan = pick(r, List.of("", "beta", "Beta", "free", "FREE", "pro"));
        if (!plan.isEmpty()) {
            headers.put("X-Plan", plan);
            head.append(r.nextBoolean() ? "X-Plan" : "x-plan").append(": ").append(plan).append("\r\n");
        }
        // query: plain, percent-encoded value or name, or a plus (a space)
        String[][] previews = {{"", ""}, {"preview=yes", "yes"}, {"preview=no", "no"}, {"preview=y%65s", "yes"},
            {"pre%76iew=yas", "yas"}, {"preview=y+s", "y s"}, {"preview", ""}};
        String[] p = previews[r.nextInt(previews.length)];
        String target = path;
        List<String> pairs = new ArrayList<>();
        if (r.nextBoolean()) {
            pairs.add("a=1");
        }
        if (!p[0].isEmpty()) {
            pairs.add(p[0]);
            query.put("preview", p[1]);
        }
        if (r.nextBoolean()) {
            pairs.add("preview=ignored-second");
        }
        if (!pairs.isEmpty()) {
            target += "?" + String.join("&", pairs);
        }
        String[][] optouts = {{"", ""}, {"optout=1", "1"}, {"optout=\"true\"", "true"}, {"optout=0", "0"},
            {"optoutx=1", ""}};
        String[] o = optouts[r.nextInt(optouts.length)];
        List<String> crumbs = new ArrayList<>();
        if (r.nextBoolean()) {
            crumbs.add("theme=dark");
        }
        if (!o[0].isEmpty()) {
            crumbs.add(o[0]);
            if (!o[1].isEmpty()) {
                cookies.put("optout", o[1]);
            }
        }
        if (!crumbs.isEmpty()) {
            head.append("Cookie: ").append(String.join("; ", crumbs)).append("\r\n");
        }
        boolean trustedPeer = r.nextBoolean();
        String peer = trustedPeer ? TRUSTED_PEER : UNTRUSTED_PEER;
        List<String> hops = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            hops.add(pick(r, List.of("10.1.2.3", "10.200.0.9", "203.0.113.5", "192.168.1.1", "127.0.0.1",
                    "2001:db8::7", "not-an-ip")));
        }
        if (!hops.isEmpty()) {
            head.append("X-Forwarded-For: ").append(String.join(r.nextBoolean() ? ", " : ",", hops)).append("\r\n");
        }
        String source = peer;
        if (trustedPeer && !hops.isEmpty()) {
            source = hops.get(0);
            for (int i = hops.size() - 1; i >= 0; i--) {
                String h = hops.get(i);
                if (!h.equals("127.0.0.1") && !h.startsWith("192.168.")) {
                    source = h;
                    break;
                }
            }
        }
        String wire = "GET " + target + " HTTP/1.1\r\nHost: shop.example\r\nX-User-Id: " + user + "\r\n" + head + "\r\n";
        // explain takes an IP literal: a source that is not one matches no network either way
        return new Sample(wire, user, headers, cookies, query, peer, source.equals("not-an-ip") ? null : source, path);
    }

    private static HttpRequest decode(String wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientCodec.Decoder());
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        HttpRequest req = ch.readInbound();
        ch.finishAndReleaseAll();
        return req;
    }

    @Test
    void explainGivesTheDataPathsVersionAndRuleForRandomRequests() {
        Random r = new Random(47);
        DataPathFacts facts = new DataPathFacts();
        int[] byRule = new int[route.rules().size() + 1];
        for (int i = 0; i < 5_000; i++) {
            Sample s = sample(r);
            HttpRequest req = decode(s.wire());
            FlatHeaders h = (FlatHeaders) req.headers();
            lastRule = -1;
            boolean trusted = snapshot.trusted(s.peer());
            String path = dev.ramp.gateway.proxy.http1.RequestTarget.path(req.uri());
            RouteDecision data = RouteDecision.decide(route, trusted, null, h.firstValue("X-User-Id"),
                    facts.of(h, req.uri(), path, s.peer(), trusted, snapshot));
            Explanation e = RouteDecision.explain(snapshot, route, new ExplainRequest(s.user(), s.headers(),
                    s.cookies(), s.query(), s.source(), s.path()));
            assertThat(e.ruleIndex()).as("rule of %s", s).isEqualTo(lastRule);
            assertThat(e.version()).as("version of %s", s).isEqualTo(data.version());
            byRule[lastRule + 1]++;
            ReferenceCountUtil.release(req);
        }
        // every rule, and no rule, decided some of the requests: the comparison covered each kind of match
        assertThat(java.util.Arrays.stream(byRule).min().orElseThrow())
                .as("requests per rule %s", java.util.Arrays.toString(byRule)).isGreaterThan(50);
    }

    @Test
    void theSourceIsTheRightmostUntrustedForwardedAddressFromATrustedPeer() {
        CharSlice out = new CharSlice();
        assertThat(DataPathFacts.client(null, "127.0.0.1", snapshot, out)).isEqualTo("127.0.0.1");
        assertThat(DataPathFacts.client("6.6.6.6, 10.1.2.3, 192.168.0.4", "127.0.0.1", snapshot, out).toString())
                .isEqualTo("10.1.2.3");
        assertThat(DataPathFacts.client("192.168.0.9 ,127.0.0.1", "127.0.0.1", snapshot, out).toString())
                .isEqualTo("192.168.0.9");
        assertThat(DataPathFacts.client(" , ", "127.0.0.1", snapshot, out)).isEqualTo("127.0.0.1");
    }
}
