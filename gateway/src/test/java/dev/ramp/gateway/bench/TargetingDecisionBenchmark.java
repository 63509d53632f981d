package dev.ramp.gateway.bench;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.http1.ClientCodec;
import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.proxy.http1.RequestTarget;
import dev.ramp.gateway.proxy.netty.DataPathFacts;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The data path's whole version decision ({@link RouteDecision#decide} over {@link DataPathFacts} of a decoded
 * request with a dozen headers, three cookies, a query and X-Forwarded-For from a trusted peer): on a route
 * without rules, with 20 exact-value, CIDR and path rules none of which match (the common path: both must
 * allocate nothing, {@code gc.alloc.rate.norm} ~0 B/op), and with the 20th rule matching. Run with
 * {@code bash loadtests/bench/jmh.sh TargetingDecisionBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TargetingDecisionBenchmark {
    private static final String REQUEST = "GET /shop/cart?item=42&ref=mail&lang=en HTTP/1.1\r\n"
            + "Host: shop.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
            + "Accept: text/html,application/xhtml+xml\r\nAccept-Language: en-GB,en;q=0.9\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\nX-Plan: free\r\nX-Region: eu-west\r\nX-App-Version: 3.2.1\r\n"
            + "Cookie: theme=dark; session=abcdef0123456789; optout=0\r\n"
            + "X-Forwarded-For: 203.0.113.50, 192.168.4.4\r\nConnection: keep-alive\r\n\r\n";

    private final String[] ids = new String[1024];
    private final DataPathFacts facts = new DataPathFacts();
    private RoutingSnapshot snapshot;
    private LiveRoute plain;
    private LiveRoute twentyRules;
    private LiveRoute twentiethMatches;
    private FlatHeaders headers;
    private String uri;
    private String path;
    private int i;

    /** 20 rules: 5 on headers, 4 on cookies, 4 on the query, 4 on source networks, 3 on path prefixes. */
    private static String rules(String last) {
        List<String> r = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            r.add("{ match { header { \"X-Plan\" = [\"beta-" + k + "\", \"staff-" + k + "\"] } }, version = \"canary\" }");
        }
        for (int k = 0; k < 4; k++) {
            r.add("{ match { cookie { \"optout\" = \"yes-" + k + "\" } }, version = \"stable\" }");
        }
        for (int k = 0; k < 4; k++) {
            r.add("{ match { query { \"preview\" = \"on-" + k + "\" } }, weight = \"50%\" }");
        }
        for (int k = 0; k < 4; k++) {
            r.add("{ match { source = [\"10." + k + ".0.0/16\"] }, weight = \"25%\" }");
        }
        for (int k = 0; k < 2; k++) {
            r.add("{ match { path-prefix = \"/beta-" + k + "\" }, version = \"canary\" }");
        }
        r.add(last);
        return "rules = [\n" + String.join("\n", r) + "\n]";
    }

    private static String route(String name, String extra) {
        return "{ name = \"" + name + "\", stable { url = \"http://127.0.0.1:9001\", version = \"v1\" }, canary { url ="
               + " \"http://127.0.0.1:9002\", version = \"v2\" }, weight = \"25%\"\n" + extra + "\n}";
    }

    @Setup
    public void setup() throws Exception {
        for (int k = 0; k < ids.length; k++) {
            ids[k] = "user-" + Long.toHexString(k * 0x9E3779B97F4A7C15L);
        }
        Path file = Files.createTempFile("ramp-bench", ".conf");
        Files.writeString(file, "ramp { trusted-sources = [\"127.0.0.1/32\", \"192.168.0.0/16\"], routes = [\n"
                + route("plain", "") + ",\n"
                + route("twenty", rules("{ match { path-prefix = \"/beta-2\" }, version = \"canary\" }")) + ",\n"
                + route("twentieth", rules("{ match { source = [\"203.0.113.0/24\"] }, weight = \"60%\" }"))
                + "\n] }\n");
        GatewayConfig c = ConfigLoader.load(file);
        Files.delete(file);
        List<LiveRoute> routes = c.routes().stream().map(rc -> new LiveRoute(rc, null)).toList();
        snapshot = new RoutingSnapshot(c, routes);
        plain = snapshot.route("plain");
        twentyRules = snapshot.route("twenty");
        twentiethMatches = snapshot.route("twentieth");
        EmbeddedChannel ch = new EmbeddedChannel(new ClientCodec.Decoder());
        ch.writeInbound(Unpooled.copiedBuffer(REQUEST, StandardCharsets.ISO_8859_1));
        HttpRequest req = ch.readInbound();
        headers = (FlatHeaders) req.headers();
        uri = req.uri();
        path = RequestTarget.path(uri);
        if (RouteDecision.decide(twentiethMatches, true, null, "u", facts.of(headers, uri, path, "127.0.0.1", true,
                snapshot)).version() == null || twentyRules.rules().firstMatch(facts) != -1
            || twentiethMatches.rules().firstMatch(facts) != 19) {
            throw new IllegalStateException("the benchmark's request matches the wrong rules");
        }
    }

    private RouteDecision decide(LiveRoute route) {
        String id = ids[i++ & 1023];
        return RouteDecision.decide(route, true, null, id, facts.of(headers, uri, path, "127.0.0.1", true, snapshot));
    }

    @Benchmark
    public RouteDecision noRules() {
        return decide(plain);
    }

    @Benchmark
    public RouteDecision twentyRulesNoMatch() {
        return decide(twentyRules);
    }

    @Benchmark
    public RouteDecision twentiethRuleMatches() {
        return decide(twentiethMatches);
    }
}
