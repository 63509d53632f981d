package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.routing.Buckets;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targeting rules through a real gateway on port 0 in front of real stable and canary servers (docs/targeting.md):
 * each match kind pins or weights its segment, a reverted route sends every rule to stable, an edit of the rules
 * applies live, {@code ramp_rule_matches_total} counts each rule, and the explain endpoint answers what the
 * traffic gets.
 */
class TargetingIntegrationTest {
    private static final String TOKEN = "t0ken";
    private static final String RULES = """
            [
              { match { header { "X-Plan" = "beta" } }, version = "canary" }
              { match { cookie { optout = "1" } }, version = "stable" }
              { match { query { preview = ["yes", "1"] } }, version = "canary" }
              { match { path-prefix = "/beta" }, version = "canary" }
              { match { source = ["10.0.0.0/8"] }, weight = "90%" }
              { match { header { "X-Dead" = { regex = "never-[0-9]+" } } }, version = "canary" }
            ]""";

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;
    private Reloader reloader;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        file = dir.resolve("live.conf");
        Files.writeString(file, conf(RULES));
        gateway = Gateway.start(ConfigLoader.load(file));
        reloader = new Reloader(gateway, ConfigLoader.create()).watch(Duration.ofMillis(100));
    }

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        gateway.shutdown(Duration.ofSeconds(1));
        bed.close();
    }

    private String conf(String rules) {
        String route = bed.route("shop", "/", "10%");
        return bed.gatewayConf(TOKEN, route.substring(0, route.length() - 1) + ", rules = " + rules + " }");
    }

    /** The version that served a GET of {@code path} with these headers. */
    private String served(String path, String... headers) {
        HttpResponse<String> r = bed.get(TestBed.traffic(gateway, path), headers);
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return new JsonObject(r.body()).getString("version");
    }

    private long canaryCount(int users, String path, String... headers) {
        long canary = 0;
        for (int u = 0; u < users; u++) {
            String[] h = new String[headers.length + 2];
            h[0] = "X-User-Id";
            h[1] = "user-" + u;
            System.arraycopy(headers, 0, h, 2, headers.length);
            canary += served(path, h).equals("canary") ? 1 : 0;
        }
        return canary;
    }

    private JsonObject explain(String query) {
        HttpResponse<String> r = bed.get(TestBed.admin(gateway, "/api/routes/shop/explain?" + query));
        assertThat(r.statusCode()).as("explain?%s: %s", query, r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private double matches(int rule) {
        return bed.scrape(gateway).counter("ramp_rule_matches_total", "route", "shop", "rule", Integer.toString(rule));
    }

    @Test
    void eachMatchKindPinsItsSegment() {
        assertThat(canaryCount(40, "/x")).as("no rule: the 10%% route weight").isLessThan(15);
        assertThat(canaryCount(40, "/x", "X-Plan", "beta")).isEqualTo(40);
        assertThat(canaryCount(40, "/x", "X-Plan", "beta2")).isLessThan(15);
        assertThat(canaryCount(40, "/x?a=b&preview=yes")).isEqualTo(40);
        assertThat(canaryCount(40, "/x?preview=1")).isEqualTo(40);
        assertThat(canaryCount(40, "/beta/page")).isEqualTo(40);
        assertThat(canaryCount(40, "/x", "Cookie", "theme=dark; optout=1", "X-Plan", "free")).isZero();
    }

    @Test
    void aPinnedStableCookieWinsOverLaterRulesButNotEarlierOnes() {
        // rule 0 (header) comes before rule 1 (cookie): first match wins
        assertThat(canaryCount(20, "/x", "Cookie", "optout=1", "X-Plan", "beta")).isEqualTo(20);
        // rule 1 (cookie) comes before rule 3 (path)
        assertThat(canaryCount(20, "/beta/x", "Cookie", "optout=1")).isZero();
    }

    @Test
    void aSourceSegmentHasItsOwnWeightOverTheSameBuckets() {
        List<String> canaryAtRouteWeight = new ArrayList<>();
        int fromTenNet = 0;
        for (int u = 0; u < 200; u++) {
            String id = "user-" + u;
            if (served("/x", "X-User-Id", id).equals("canary")) {
                canaryAtRouteWeight.add(id);
            }
            // the peer (127.0.0.1) is a trusted source: the client is the address it forwarded for
            fromTenNet += served("/x", "X-User-Id", id, "X-Forwarded-For", "10.9.8.7").equals("canary") ? 1 : 0;
        }
        assertThat(fromTenNet).as("90%% segment of 200 users").isBetween(160, 198);
        for (String id : canaryAtRouteWeight) {
            assertThat(served("/x", "X-User-Id", id, "X-Forwarded-For", "10.9.8.7")).as(id).isEqualTo("canary");
        }
        // an address outside the network is not in the segment
        assertThat(canaryCount(40, "/x", "X-Forwarded-For", "192.0.2.1")).isLessThan(15);
    }

    @Test
    void theMetricCountsEachRuleAndShowsTheDeadOne() {
        canaryCount(7, "/x", "X-Plan", "beta");
        canaryCount(3, "/x?preview=yes");
        canaryCount(5, "/x"); // no rule
        assertThat(matches(0)).isEqualTo(7);
        assertThat(matches(2)).isEqualTo(3);
        assertThat(matches(1)).isZero();
        assertThat(matches(5)).as("a rule that never matches is visible at 0").isZero();
        // explain is not traffic
        explain("user=alice&header.X-Plan=beta");
        assertThat(matches(0)).isEqualTo(7);
    }

    @Test
    void aRevertedRouteSendsEveryRuleToStable() {
        assertThat(bed.post(TestBed.admin(gateway, "/api/routes/shop/revert"), "Authorization", "Bearer " + TOKEN)
                .statusCode()).isEqualTo(200);
        assertThat(canaryCount(20, "/x", "X-Plan", "beta")).isZero();
        assertThat(canaryCount(20, "/beta/x?preview=yes", "X-Forwarded-For", "10.1.1.1")).isZero();
        JsonObject e = explain("user=alice&header.X-Plan=beta");
        assertThat(e.getString("version")).isEqualTo("stable");
        assertThat(e.getString("reason")).isEqualTo("reverted");
        assertThat(e.getValue("rule")).isNull();
        // a trusted override still wins, as without rules
        assertThat(served("/x", "X-User-Id", "alice", "X-Ramp-Version", "canary")).isEqualTo("canary");
    }

    @Test
    void anEditOfTheRulesAppliesLive() throws Exception {
        assertThat(canaryCount(10, "/x", "X-Plan", "beta")).isEqualTo(10);
        Files.writeString(file, conf("""
                [ { match { header { "X-Plan" = ["beta", "internal"] } }, version = "stable" } ]"""));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> explain("user=u&header.X-Plan=internal").getString("version").equals("stable")
                             && Integer.valueOf(0).equals(explain("user=u&header.X-Plan=internal").getInteger("rule")));
        assertThat(canaryCount(40, "/x", "X-Plan", "beta")).isZero();
        assertThat(canaryCount(40, "/x?preview=yes")).as("the query rule is gone").isLessThan(15);
        assertThat(bed.scrape(gateway).labelSets("ramp_rule_matches_total"))
                .as("the old rules' counters are removed with them")
                .allSatisfy(labels -> assertThat(labels.get("rule")).isEqualTo("0"));
    }

    @Test
    void explainAnswersWhyWithoutAToken() {
        JsonObject bucket = explain("user=alice");
        assertThat(bucket.getString("route")).isEqualTo("shop");
        assertThat(bucket.getString("reason")).isEqualTo("bucket");
        assertThat(bucket.getValue("rule")).isNull();
        assertThat(bucket.getInteger("bucket")).isEqualTo(Buckets.bucket("shop", "alice"));
        assertThat(bucket.getString("weight")).isEqualTo("10%");
        assertThat(bucket.getString("identity")).isEqualTo("alice");
        assertThat(bucket.getString("version")).isEqualTo(served("/x", "X-User-Id", "alice"));

        JsonObject rule = explain("user=alice&header.x-plan=beta");
        assertThat(rule.getString("reason")).isEqualTo("rule");
        assertThat(rule.getInteger("rule")).isZero();
        assertThat(rule.getString("version")).isEqualTo("canary");
        assertThat(rule.getString("ruleText")).isEqualTo("{ match { header { \"X-Plan\" = \"beta\" } }, version = \"canary\" }");

        JsonObject segment = explain("user=alice&source=10.1.2.3");
        assertThat(segment.getInteger("rule")).isEqualTo(4);
        assertThat(segment.getString("weight")).isEqualTo("90%");

        assertThat(explain("user=alice&cookie.optout=1&path=/beta/x").getInteger("rule")).isEqualTo(1);
        assertThat(explain("user=alice&path=/beta/x").getInteger("rule")).isEqualTo(3);
        assertThat(explain("user=alice&query.preview=1").getInteger("rule")).isEqualTo(2);
        // the identity can come from the user header or the identity cookie, as on the data path
        assertThat(explain("header.X-User-Id=bob").getString("identity")).isEqualTo("bob");
        assertThat(explain("cookie.ramp_uid=carol").getString("identity")).isEqualTo("carol");
        JsonObject anonymous = explain("");
        assertThat(anonymous.getBoolean("freshIdentity")).isTrue();
        // the override header counts from a trusted source only
        assertThat(explain("user=alice&header.X-Ramp-Version=canary&source=127.0.0.1").getString("reason"))
                .isEqualTo("override");
        assertThat(explain("user=alice&header.X-Ramp-Version=canary&source=192.0.2.1").getString("reason"))
                .isEqualTo("bucket");
    }

    @Test
    void explainRefusesWhatItCannotAnswer() {
        HttpResponse<String> unknown = bed.get(TestBed.admin(gateway, "/api/routes/nope/explain?user=a"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("unknown_route");
        HttpResponse<String> typo = bed.get(TestBed.admin(gateway, "/api/routes/shop/explain?headers.X-Plan=beta"));
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(typo.body()).getString("message")).startsWith("unknown parameter \"headers.X-Plan\"");
        HttpResponse<String> source = bed.get(TestBed.admin(gateway, "/api/routes/shop/explain?source=example.com"));
        assertThat(source.statusCode()).isEqualTo(400);
        HttpResponse<String> override = bed.get(TestBed.admin(gateway,
                "/api/routes/shop/explain?source=127.0.0.1&header.X-Ramp-Version=beta"));
        assertThat(override.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(override.body()).getString("message"))
                .isEqualTo("header X-Ramp-Version: \"beta\" (expected: stable or canary)");
        assertThat(bed.post(TestBed.admin(gateway, "/api/routes/shop/explain")).statusCode()).isEqualTo(405);
    }

    @Test
    void explainAgreesWithTheTrafficOnRandomRequests() {
        Random r = new Random(53);
        String[] plans = {null, "beta", "free"};
        String[] previews = {null, "yes", "no", "1"};
        String[] sources = {null, "10.4.4.4", "192.0.2.8"};
        String[] paths = {"/x", "/beta/y", "/betax"};
        for (int i = 0; i < 150; i++) {
            String user = "r" + r.nextInt(100_000);
            String plan = plans[r.nextInt(plans.length)];
            String preview = previews[r.nextInt(previews.length)];
            String source = sources[r.nextInt(sources.length)];
            boolean optout = r.nextInt(4) == 0;
            String path = paths[r.nextInt(paths.length)];
            List<String> headers = new ArrayList<>(List.of("X-User-Id", user));
            StringBuilder q = new StringBuilder("user=" + user + "&path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
            if (plan != null) {
                headers.addAll(List.of("X-Plan", plan));
                q.append("&header.X-Plan=").append(plan);
            }
            if (optout) {
                headers.addAll(List.of("Cookie", "optout=1"));
                q.append("&cookie.optout=1");
            }
            if (source != null) {
                headers.addAll(List.of("X-Forwarded-For", source));
            }
            // explain's source is the client: the forwarded address, else the peer itself
            q.append("&source=").append(source != null ? source : "127.0.0.1");
            String target = path + (preview == null ? "" : "?preview=" + preview);
            if (preview != null) {
                q.append("&query.preview=").append(preview);
            }
            String got = served(target, headers.toArray(String[]::new));
            assertThat(explain(q.toString()).getString("version")).as("explain?%s", q).isEqualTo(got);
        }
    }
}
