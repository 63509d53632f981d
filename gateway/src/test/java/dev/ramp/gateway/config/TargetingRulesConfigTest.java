package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's {@code rules} as read from HOCON, and every way a rule is refused, with file and line. */
class TargetingRulesConfigTest {
    @TempDir
    Path dir;

    /** A config whose route's rules are {@code rules}, starting on line 7 of the file. */
    private static String withRules(String rules) {
        return """
                ramp {
                  routes = [
                    {
                      name = "shop"
                      stable { url = "http://127.0.0.1:9001", version = "v1" }
                      canary { url = "http://127.0.0.1:9002", version = "v2" }
                      rules = [
                %s
                      ]
                      weight = "5%%"
                    }
                  ]
                }
                """.formatted(rules);
    }

    private List<String> problems(String rules) {
        Path f = TestConfigs.write(dir, "bad.conf", withRules(rules));
        try {
            ConfigLoader.load(f);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected the rules to be refused:\n" + rules);
    }

    @Test
    void everyMatchKindIsReadInOrder() throws Exception {
        RouteConfig r = ConfigLoader.load(TestConfigs.write(dir, "g.conf", withRules("""
                { match { header { "X-Plan" = "beta" } }, version = "canary" }
                { match { cookie { optout = ["1", "yes"] } }, version = "stable" }
                { match { query { preview = { regex = "y(es)?" } } }, version = "canary" }
                { match { source = ["10.0.0.0/8", "::1/128"], path-prefix = "/api" }, weight = "50%" }
                """))).routes().get(0);
        assertThat(r.rules()).hasSize(4);
        assertThat(r.rules().get(0).match().headers().get("X-Plan").values()).containsExactly("beta");
        assertThat(r.rules().get(0).version()).isEqualTo("canary");
        assertThat(r.rules().get(1).match().cookies().get("optout").values()).containsExactly("1", "yes");
        assertThat(r.rules().get(2).match().query().get("preview").regex()).isEqualTo("y(es)?");
        assertThat(r.rules().get(2).match().query().get("preview").matches("y")).isTrue();
        assertThat(r.rules().get(2).match().query().get("preview").matches("yess")).isFalse();
        assertThat(r.rules().get(3).match().sources()).extracting(Cidr::toString).containsExactly("10.0.0.0/8", "::1/128");
        assertThat(r.rules().get(3).match().pathPrefix()).isEqualTo("/api");
        assertThat(r.rules().get(3).weight()).isEqualTo(new Percent(5000));
        assertThat(r.rules().get(3).toString())
                .isEqualTo("{ match { source = [\"10.0.0.0/8\", \"::1/128\"], path-prefix = \"/api\" }, weight = \"50%\" }");
    }

    @Test
    void aRouteWithoutRulesHasNone() throws Exception {
        RouteConfig r = ConfigLoader.load(TestConfigs.write(dir, "g.conf", withRules(""))).routes().get(0);
        assertThat(r.rules()).isEmpty();
    }

    @Test
    void aBadRegularExpressionIsRefusedWithItsLine() {
        assertThat(problems("""
                { match { header { "X-Plan" = { regex = "beta(" } } }, version = "canary" }
                """)).singleElement().asString()
                .startsWith(dir.resolve("bad.conf") + ":8: ramp.routes[0].rules[0].match.header.X-Plan.regex: \"beta(\"")
                .contains("is not a regular expression RE2 accepts: missing closing )");
    }

    @Test
    void backreferencesAndLookaroundsAreRefusedSinceTheyNeedBacktracking() {
        assertThat(problems("""
                { match { header { "X-A" = { regex = "(a)\\\\1" } } }, version = "canary" }
                { match { header { "X-B" = { regex = "(?=a)a" } } }, version = "canary" }
                """)).hasSize(2).allSatisfy(p -> assertThat(p).contains("is not a regular expression RE2 accepts"));
    }

    @Test
    void aCatastrophicPatternIsAcceptedAndMatchesInLinearTime() throws Exception {
        RouteConfig r = ConfigLoader.load(TestConfigs.write(dir, "g.conf", withRules("""
                { match { header { "X-A" = { regex = "(a+)+$" } } }, version = "canary" }
                """))).routes().get(0);
        String evil = "a".repeat(50_000) + "!";
        long start = System.nanoTime();
        assertThat(r.rules().get(0).match().headers().get("X-A").matches(evil)).isFalse();
        // java.util.regex takes exponential time on this input; RE2 a few milliseconds.
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void aBadNetworkIsRefusedAtTheElement() {
        assertThat(problems("""
                { match { source = ["10.0.0.0/8",
                  "10.0.0.0/33"] }, weight = "10%" }
                """)).singleElement().asString()
                .isEqualTo(dir.resolve("bad.conf") + ":9: ramp.routes[0].rules[0].match.source[1]: \"10.0.0.0/33\""
                           + " has prefix length 33 (expected: 0..32)");
    }

    @Test
    void versionAndWeightTogetherAreRefused() {
        assertThat(problems("""
                { match { path-prefix = "/a" }, version = "canary", weight = "5%" }
                """)).singleElement().asString().startsWith(dir.resolve("bad.conf") + ":8: ramp.routes[0].rules[0].weight:"
                + " a rule has both version and weight");
    }

    @Test
    void neitherVersionNorWeightIsRefused() {
        assertThat(problems("""
                { match { path-prefix = "/a" } }
                """)).singleElement().asString().isEqualTo(dir.resolve("bad.conf") + ":8: ramp.routes[0].rules[0]: has"
                + " neither version nor weight (expected: version = \"canary\" or \"stable\", or weight = \"50%\")");
    }

    @Test
    void unknownKeysInARuleAndItsMatchAreRefused() {
        assertThat(problems("""
                { match { headers { "X-Plan" = "beta" } }, version = "canary" }
                { match { path-prefix = "/a" }, versoin = "canary", version = "stable" }
                """)).containsExactly(
                dir.resolve("bad.conf") + ":8: ramp.routes[0].rules[0].match.headers: unknown key (expected one of:"
                + " cookie, header, path-prefix, query, source)",
                dir.resolve("bad.conf") + ":9: ramp.routes[0].rules[1].versoin: unknown key (expected one of: match,"
                + " version, weight)");
    }

    @Test
    void otherMistakesAreEachNamed() {
        List<String> p = problems("""
                { match { header { "X-Plan" = 3 } }, version = "beta" }
                { match {}, weight = "150%" }
                { version = "canary" }
                { match { path-prefix = "api", cookie { a = [] } }, version = "canary" }
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":8: ramp.routes[0].rules[0].match.header.X-Plan: number 3"
                + " (expected: a string, a list of strings, or { regex = \"...\" })"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":8: ramp.routes[0].rules[0].version: \"beta\""
                + " (expected: \"canary\" or \"stable\")"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":9: ramp.routes[0].rules[1].match: is empty"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":9: ramp.routes[0].rules[1].weight: \"150%\""));
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":10: ramp.routes[0].rules[2].match: is required"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":11: ramp.routes[0].rules[3].match.path-prefix: \"api\""));
        assertThat(p).anySatisfy(s -> assertThat(s).contains(":11: ramp.routes[0].rules[3].match.cookie.a: is an empty list"));
    }
}
