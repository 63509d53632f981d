package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.routing.Buckets;
import dev.ramp.gateway.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain} on a config file, offline: its answers, its JSON and its exit codes (docs/targeting.md). */
class ExplainCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;
    private String config;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        config = TestConfigs.write(dir, "gateway.conf", TestConfigs.gateway(dir, TestConfigs.route("shop", 9001, 9002,
                "5%", """
                        override { canary-users = ["tester"] }
                        rules = [
                          { match { header { "X-Plan" = "beta" } }, version = "canary" }
                          { match { source = ["10.0.0.0/8"] }, weight = "50%" }
                        ]
                        """), "")).toString();
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aUserWithoutSegmentGetsTheRouteWeight() {
        assertThat(Main.execute("explain", "--config", config, "--route", "shop", "--user", "alice")).isZero();
        int bucket = Buckets.bucket("shop", "alice");
        assertThat(stdout()).isEqualTo("shop: " + (bucket < 500 ? "canary" : "stable")
                + " (bucket: no rule matched, the route weight applies)\n"
                + "  identity alice, bucket " + bucket + ", weight 5% (canary iff bucket < 500)\n");
    }

    @Test
    void aRuleIsNamedWithItsIndexAndText() {
        assertThat(Main.execute("explain", "--config", config, "--route", "shop", "--user", "alice",
                "--header", "X-Plan=beta")).isZero();
        assertThat(stdout()).startsWith("shop: canary (rule 0: { match { header { \"X-Plan\" = \"beta\" } },"
                                        + " version = \"canary\" })\n");
    }

    @Test
    void ringsAndRevertsAreExplained() {
        assertThat(Main.execute("explain", "--config", config, "--route", "shop", "--user", "tester")).isZero();
        assertThat(Main.execute("explain", "--config", config, "--route", "shop", "--user", "tester",
                "--header", "X-Plan=beta", "--reverted")).isZero();
        assertThat(stdout()).contains("shop: canary (ring: the user is in canary-users)")
                .contains("shop: stable (reverted: the route is reverted, everyone gets stable)");
    }

    @Test
    void jsonIsTheAdminApisAnswer() {
        assertThat(Main.execute("explain", "--config", config, "--route", "shop", "--user", "alice",
                "--source", "10.1.2.3", "--json")).isZero();
        JsonObject j = new JsonObject(stdout().trim());
        assertThat(j.getString("route")).isEqualTo("shop");
        assertThat(j.getString("reason")).isEqualTo("rule");
        assertThat(j.getInteger("rule")).isEqualTo(1);
        assertThat(j.getString("weight")).isEqualTo("50%");
        assertThat(j.getInteger("bucket")).isEqualTo(Buckets.bucket("shop", "alice"));
        assertThat(j.getString("identity")).isEqualTo("alice");
        assertThat(j.getString("version")).isEqualTo(Buckets.bucket("shop", "alice") < 5000 ? "canary" : "stable");
    }

    @Test
    void anUnknownRouteOrABadValueExits2() {
        assertThat(Main.execute("explain", "--config", config, "--route", "cart", "--user", "a")).isEqualTo(2);
        assertThat(Main.execute("explain", "--config", config, "--route", "shop", "--source", "nowhere")).isEqualTo(2);
        assertThat(Main.execute("explain", "--config", config, "--user", "a")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("error: no route named \"cart\" in " + config + " (expected one of: shop)")
                .contains("error: source: \"nowhere\" (expected: an IP address such as 10.1.2.3)")
                .contains("Missing required option: '--route=NAME'");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void anInvalidConfigExits2WithItsProblems() {
        Path bad = TestConfigs.write(dir, "bad.conf", TestConfigs.gateway(dir, TestConfigs.route("shop", 9001, 9002,
                "5%", "rules = [ { match { header { \"X-A\" = { regex = \"(\" } } }, version = \"canary\" } ]"), ""));
        assertThat(Main.execute("explain", "--config", bad.toString(), "--route", "shop", "--user", "a")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.conf:").contains("rules[0].match.header.X-A.regex");
    }
}
