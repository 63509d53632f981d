package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private List<ConfigProblem> problems(String content) {
        Path f = TestConfigs.write(dir, "bad.conf", content);
        try {
            ConfigLoader.load(f);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the config to be invalid:\n" + content);
    }

    private static String minimal(String routeExtra) {
        return """
                ramp {
                  routes = [
                    {
                      name = "shop"
                      stable { url = "http://127.0.0.1:9001", version = "v1" }
                      canary { url = "http://127.0.0.1:9002", version = "v2" }
                      weight = "5%%"
                      %s
                    }
                  ]
                }
                """.formatted(routeExtra);
    }

    @Test
    void aMinimalRouteTakesEveryDefault() throws Exception {
        GatewayConfig c = ConfigLoader.load(TestConfigs.write(dir, "g.conf", minimal("")));
        RouteConfig r = c.routes().get(0);
        assertThat(r.weight().basisPoints()).isEqualTo(500);
        assertThat(r.match().hosts()).containsExactly("*");
        assertThat(r.match().pathPrefix()).isEqualTo("/");
        assertThat(r.sticky().userHeader()).isEqualTo("X-User-Id");
        assertThat(r.sticky().cookie()).isEqualTo("ramp_uid");
        assertThat(r.sticky().cookieMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(r.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.timeouts().tunnelIdle()).isEqualTo(Duration.ofHours(1));
        assertThat(r.timeouts().tunnelMax()).isEqualTo(Duration.ofHours(24));
        assertThat(r.fallback().onStatus()).containsExactlyInAnyOrder(502, 503, 504);
        assertThat(r.fallback().maxReplayBody()).isEqualTo(64 * 1024);
        assertThat(r.guard().minRequests()).isEqualTo(20);
        assertThat(r.guard().maxErrorRate().basisPoints()).isEqualTo(500);
        assertThat(r.guard().maxLatencyIncrease()).isEqualTo(0.5);
        assertThat(c.listen().port()).isEqualTo(8080);
        assertThat(c.admin().listen().port()).isEqualTo(9901);
        assertThat(c.admin().token()).isEmpty();
        assertThat(c.trustedSources()).hasSize(2);
    }

    @Test
    void http2IsOfferedByAlpnByDefaultAndItsLimitsAreChecked() throws Exception {
        Http2Options defaults = ConfigLoader.load(TestConfigs.write(dir, "a.conf", minimal(""))).http2();
        assertThat(defaults).isEqualTo(new Http2Options(true, false, 100, 64 * 1024));
        assertThatThrownBy(() -> ConfigLoader.load(TestConfigs.write(dir, "b.conf", minimal("")
                + "ramp.listen { h2c = true, tls { cert = \"c.pem\", key = \"k.pem\" },"
                + " limits { max-concurrent-streams = 0, http2-stream-window = 1KiB } }\n")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("b.conf:")
                .hasMessageContaining("ramp.listen.h2c: true with tls set")
                .hasMessageContaining("ramp.listen.limits.max-concurrent-streams: 0 (expected: 1..10000)")
                .hasMessageContaining("ramp.listen.limits.http2-stream-window: 1024 bytes (expected: 65535 bytes to 16MiB)");
    }

    @Test
    void listenerLimitsHaveDefaultsAndRefuseNonsense() throws Exception {
        Limits defaults = ConfigLoader.load(TestConfigs.write(dir, "a.conf", minimal(""))).limits();
        assertThat(defaults).isEqualTo(new Limits(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30), 100,
                20000, 1000, 1024, java.time.Duration.ofSeconds(5)));
        assertThatThrownBy(() -> ConfigLoader.load(TestConfigs.write(dir, "b.conf", minimal("")
                + "ramp.listen.limits { header-timeout = 0s, max-header-count = 0, max-upstream-connections = 0,"
                + " upstream-wait = 0s }\n")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ramp.listen.limits.header-timeout")
                .hasMessageContaining("ramp.listen.limits.upstream-wait")
                .hasMessageContaining("ramp.listen.limits.max-upstream-connections: 0 (expected: 1 or more)")
                .hasMessageContaining("ramp.listen.limits.max-header-count: 0 (expected: 1..10000)");
    }

    @Test
    void theRemovedEngineKeyIsAnErrorThatSaysSoWithItsLine() throws Exception {
        Path file = TestConfigs.write(dir, "c.conf", minimal("") + "ramp.listen.engine = netty\n");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ramp.listen.engine")
                .hasMessageContaining("was removed")
                .hasMessageNotContaining("unknown key")
                .hasMessageContaining("c.conf:" + minimal("").split("\n", -1).length);
    }

    @Test
    void theTransportDefaultsToAutoAcceptsEachNamedOneAndNamesTheChoicesOtherwise() throws Exception {
        assertThat(ConfigLoader.load(TestConfigs.write(dir, "a.conf", minimal(""))).transport())
                .isEqualTo(Transport.AUTO);
        assertThat(ConfigLoader.load(TestConfigs.write(dir, "b.conf",
                minimal("") + "ramp.listen.transport = io_uring\n")).transport()).isEqualTo(Transport.IO_URING);
        assertThat(ConfigLoader.load(TestConfigs.write(dir, "c.conf", minimal("") + "ramp.listen.transport = EPOLL\n"))
                .transport()).isEqualTo(Transport.EPOLL);
        assertThat(ConfigLoader.load(TestConfigs.write(dir, "d.conf", minimal("") + "ramp.listen.transport = nio\n"))
                .transport()).isEqualTo(Transport.NIO);
        Path bad = TestConfigs.write(dir, "e.conf", minimal("") + "ramp.listen.transport = uring\n");
        int line = (int) minimal("").lines().count() + 1;
        assertThatThrownBy(() -> ConfigLoader.load(bad))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("e.conf:" + line)
                .hasMessageContaining("ramp.listen.transport")
                .hasMessageContaining("\"uring\" (expected: \"auto\", \"io_uring\", \"epoll\" or \"nio\")");
    }

    @Test
    void aChangedTransportIsADifferentSetting() throws Exception {
        GatewayConfig auto = ConfigLoader.load(TestConfigs.write(dir, "a.conf", minimal("")));
        GatewayConfig nio = ConfigLoader.load(TestConfigs.write(dir, "b.conf",
                minimal("") + "ramp.listen.transport = nio\n"));
        assertThat(auto.sameSettings(nio)).isFalse();
        assertThat(auto.sameSettings(ConfigLoader.load(TestConfigs.write(dir, "c.conf", minimal(""))))).isTrue();
    }

    @Test
    void perRouteBlocksMergeKeyByKeyOverRouteDefaults() throws Exception {
        String content = """
                ramp {
                  route-defaults { guard { window = 60s } }
                  routes = [ {
                    name = "shop"
                    stable { url = "http://127.0.0.1:9001", version = "v1" }
                    canary { url = "http://127.0.0.1:9002", version = "v2" }
                    weight = "12.5%"
                    guard { min-requests = 50 }
                  } ]
                }
                """;
        RouteConfig r = ConfigLoader.load(TestConfigs.write(dir, "g.conf", content)).routes().get(0);
        assertThat(r.guard().minRequests()).isEqualTo(50);
        assertThat(r.guard().window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.guard().breachesToRevert()).isEqualTo(3);
        assertThat(r.weight().toString()).isEqualTo("12.5%");
    }

    @Test
    void jsonIsValidConfigToo() throws Exception {
        String json = """
                {"ramp": {"routes": [{"name": "shop",
                  "stable": {"url": "http://127.0.0.1:9001", "version": "v1"},
                  "canary": {"url": "http://127.0.0.1:9002", "version": "v2"},
                  "weight": "0.01%"}]}}
                """;
        assertThat(ConfigLoader.load(TestConfigs.write(dir, "g.json", json)).routes().get(0).weight().basisPoints())
                .isEqualTo(1);
    }

    @Test
    void includeAndOptionalEnvSubstitutionWork() throws Exception {
        TestConfigs.write(dir, "routes.conf", """
                ramp.routes = [ {
                  name = "inc"
                  stable { url = "http://127.0.0.1:9001", version = "v1" }
                  canary { url = "http://127.0.0.1:9002", version = ${?RAMP_TEST_SURELY_UNSET_VAR}"v2" }
                  weight = "1%"
                } ]
                """);
        GatewayConfig c = ConfigLoader.load(TestConfigs.write(dir, "main.conf", """
                include "routes.conf"
                ramp.admin.token = ${?RAMP_TEST_SURELY_UNSET_VAR}
                """));
        assertThat(c.routes()).extracting(RouteConfig::name).containsExactly("inc");
        assertThat(c.routes().get(0).canary().version()).isEqualTo("v2");
        assertThat(c.admin().token()).isEmpty();
    }

    @Test
    void everyProblemIsListedWithFileAndLine() {
        List<ConfigProblem> p = problems("""
                ramp {
                  stat-dir = "x"
                  routes = [
                    { name = "a", stable { url = "http://127.0.0.1:1", version = "1" }
                      canary { url = "ftp://x", version = "2" }
                      weight = "12.555%"
                      guard { min-requets = 5, max-error-rate = 5 } }
                    { name = "a", stable { url = "http://127.0.0.1:1", version = "1" }
                      canary { url = "http://x:2", version = "2" }, weight = "101%" }
                  ]
                }
                """);
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .endsWith("bad.conf:2: ramp.stat-dir: unknown key (did you mean \"state-dir\"?)"));
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("bad.conf:5: ramp.routes[0].canary.url: \"ftp://x\""));
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("bad.conf:6: ramp.routes[0].weight: \"12.555%\" has 3 decimals"));
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("bad.conf:7: ramp.routes[0].guard.min-requets: unknown key (did you mean \"min-requests\"?)"));
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("bad.conf:7: ramp.routes[0].guard.max-error-rate: number 5 (expected: a percentage string"));
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("bad.conf:8: ramp.routes[1].name: duplicate route name \"a\""));
        assertThat(p).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("bad.conf:9: ramp.routes[1].weight: \"101%\" (expected: 0% to 100%)"));
        assertThat(p).hasSize(7);
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        List<ConfigProblem> p = problems("ramp {\n  routes = [\n    { name = \n");
        assertThat(p).hasSize(1);
        assertThat(p.get(0).file()).endsWith("bad.conf");
        assertThat(p.get(0).line()).isGreaterThan(0);
    }

    @Test
    void missingRequiredRouteKeysAreReported() {
        List<ConfigProblem> p = problems("ramp { routes = [ { name = \"x\" } ] }");
        assertThat(p).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].stable", "ramp.routes[0].canary", "ramp.routes[0].weight");
    }

    @Test
    void badValuesAreRejectedWithWhatWasExpected() {
        assertThat(problems(minimal("weight = 5"))).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("expected: a percentage string"));
        assertThat(problems(minimal("match { path-prefix = \"api\" }"))).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("expected: a path starting with \"/\""));
        assertThat(problems(minimal("timeouts { connect = -1s }"))).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].timeouts.connect");
        assertThat(problems(minimal("timeouts { tunnel-idle = 0s, tunnel-max = forever }")))
                .extracting(ConfigProblem::path)
                .contains("ramp.routes[0].timeouts.tunnel-idle", "ramp.routes[0].timeouts.tunnel-max");
        assertThat(problems(minimal("guard { evaluate-every = 1m, window = 30s }"))).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].guard.evaluate-every");
        assertThat(problems(minimal("fallback { on-status = [200] }"))).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].fallback.on-status[0]");
        assertThat(problems(minimal("override { canary-users = [a], stable-users = [a] }")))
                .extracting(ConfigProblem::path).contains("ramp.routes[0].override.canary-users");
        assertThat(problems(minimal("sticky { cookie = \"bad cookie\" }"))).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].sticky.cookie");
        assertThat(problems(minimal("stable { url = \"http://127.0.0.1:9001/path\", version = v1 }")))
                .extracting(ConfigProblem::path).contains("ramp.routes[0].stable.url");
        assertThat(problems(minimal("name = \"bad/name\""))).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].name");
        assertThat(problems("ramp { trusted-sources = [\"10.0.0.0/33\"], routes = [] }"))
                .extracting(ConfigProblem::path).contains("ramp.trusted-sources[0]");
        assertThat(problems("ramp { listen.port = 70000, routes = [] }"))
                .extracting(ConfigProblem::path).contains("ramp.listen.port");
        assertThat(problems("ramp { listen.port = 9000, admin.port = 9000, routes = [] }"))
                .extracting(ConfigProblem::path).contains("ramp.admin.port");
        assertThat(problems("ramp { admin.tokn = x, routes = [] }")).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("did you mean \"token\""));
        assertThat(problems("rmp { routes = [] }")).extracting(ConfigProblem::path).contains("rmp");
    }

    @Test
    void aMissingFileIsAProblemNotACrash() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.conf")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("nope.conf: file not found");
    }

    @Test
    void percentParsesAtMostTwoDecimals() {
        assertThat(Percent.parse("12.5%").basisPoints()).isEqualTo(1250);
        assertThat(Percent.parse("0.01%").basisPoints()).isEqualTo(1);
        assertThat(Percent.parse("100%").basisPoints()).isEqualTo(10_000);
        assertThat(Percent.parse("7.25%").toString()).isEqualTo("7.25%");
        assertThat(Percent.parse("0%").toString()).isEqualTo("0%");
        assertThatThrownBy(() -> Percent.parse("1.234%")).hasMessageContaining("at most 2");
        assertThatThrownBy(() -> Percent.parse("100.01%")).hasMessageContaining("0% to 100%");
        assertThatThrownBy(() -> Percent.parse("-1%")).hasMessageContaining("expected");
        assertThatThrownBy(() -> Percent.parse("5")).hasMessageContaining("expected");
    }

    @Test
    void cidrsMatchIpv4Ipv6AndMappedAddresses() {
        Cidr lo = Cidr.parse("127.0.0.1/32");
        assertThat(lo.contains("127.0.0.1")).isTrue();
        assertThat(lo.contains("127.0.0.2")).isFalse();
        assertThat(lo.contains("::ffff:127.0.0.1")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
        assertThat(Cidr.parse("::1/128").contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains("fd12::1")).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains("10.0.0.1")).isFalse();
        assertThat(lo.contains("not-an-ip")).isFalse();
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("expected");
        assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.7")).isTrue();
        assertThat(Cidr.parse("192.168.1.0/24").contains("192.168.1.255")).isTrue();
        assertThat(Cidr.parse("192.168.1.0/24").contains("192.168.2.1")).isFalse();
        assertThat(Cidr.parseV4("1.2.3")).isEqualTo(-1L);
        assertThat(Cidr.parseV4("1.2.3.256")).isEqualTo(-1L);
        assertThat(Cidr.parseV4("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
    }

    private static String threeRoutes(String defaults, String secondExtra) {
        String route = "{ name = \"%s\", stable { url = \"http://127.0.0.1:9001\", version = \"v1\" }, "
                       + "canary { url = \"http://127.0.0.1:9002\", version = \"v2\" }, weight = \"5%%\"\n %s }\n";
        return "ramp {\n route-defaults { " + defaults + " }\n routes = [\n" + route.formatted("a", "")
               + route.formatted("b", secondExtra) + route.formatted("c", "") + "]\n}\n";
    }

    @Test
    void blocksARouteDoesNotWriteAreReadOnceAndSharedButItsOwnAreItsOwn() throws Exception {
        List<RouteConfig> routes = ConfigLoader.load(TestConfigs.write(dir, "a.conf",
                threeRoutes("guard.max-p99 = 900ms", "guard { min-requests = 7 }"))).routes();
        assertThat(routes.get(0).guard()).isSameAs(routes.get(2).guard());
        assertThat(routes.get(0).guard().maxP99()).isEqualTo(java.time.Duration.ofMillis(900));
        assertThat(routes.get(1).guard()).isNotSameAs(routes.get(0).guard());
        assertThat(routes.get(1).guard().minRequests()).isEqualTo(7);
        assertThat(routes.get(1).guard().maxP99()).as("merged key by key over the defaults")
                .isEqualTo(java.time.Duration.ofMillis(900));
        assertThat(routes.get(0).timeouts()).isSameAs(routes.get(1).timeouts());
    }

    @Test
    void aBadDefaultBlockIsStillReportedForEveryRouteThatInheritsIt() {
        List<ConfigProblem> found = problems(threeRoutes("guard.min-requests = 0", "guard { min-requests = 7 }"));
        assertThat(found).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("ramp.routes[0].guard.min-requests", "ramp.routes[2].guard.min-requests");
    }
}
