package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's {@code mirror} block: defaults, what turns it on, and its problems with file:line. */
class MirrorConfigTest {
    @TempDir
    Path dir;

    private String conf(String mirror) {
        return TestConfigs.gateway(dir, TestConfigs.route("shop", 1001, 1002, "0%", "\n" + mirror + "\n"), "");
    }

    private RouteConfig route(String mirror) throws InvalidConfigException {
        return ConfigLoader.load(TestConfigs.write(dir, "gateway.conf", conf(mirror))).routes().get(0);
    }

    private List<ConfigProblem> problems(String mirror) {
        try {
            route(mirror);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the config to be invalid: " + mirror);
    }

    @Test
    void withoutAMirrorBlockOrAtZeroPercentTheRouteMirrorsNothing() throws Exception {
        assertThat(route("").mirror()).isNull();
        assertThat(route("mirror { percent = \"0%\", methods = [\"GET\"] }").mirror()).isNull();
    }

    @Test
    void aPercentTurnsItOnWithTheDocumentedDefaults() throws Exception {
        MirrorSettings m = route("mirror { percent = \"25%\" }").mirror();
        assertThat(m.percent().basisPoints()).isEqualTo(2500);
        assertThat(m.methods()).isEqualTo(Set.of("GET", "HEAD"));
        assertThat(m.compare()).isTrue();
        assertThat(m.ignoreHeaders()).containsExactly("Date");
        assertThat(m.maxInFlight()).isEqualTo(100);
        assertThat(m.ignoreFields()).isEmpty();
        assertThat(m.verdict()).isEqualTo(new MirrorSettings.Verdict(java.time.Duration.ofMinutes(5), 100,
                Percent.parse("1%"), 1.5));
        MirrorSettings all = route("mirror { percent = \"100%\", methods = [\"GET\", \"POST\"], compare = false,"
                + " ignore-headers = [], max-in-flight = 5, ignore-fields = [\"updatedAt\", \"meta.requestId\"],"
                + " verdict { window = 30s, min-compared = 10, max-mismatch = \"0.5%\", max-latency-ratio = 2 } }")
                .mirror();
        assertThat(all.ignoreFields()).containsExactly("updatedAt", "meta.requestId");
        assertThat(all.verdict()).isEqualTo(new MirrorSettings.Verdict(java.time.Duration.ofSeconds(30), 10,
                Percent.parse("0.5%"), 2.0));
        assertThat(all.methods()).isEqualTo(Set.of("GET", "POST"));
        assertThat(all.compare()).isFalse();
        assertThat(all.ignoreHeaders()).isEmpty();
        assertThat(all.maxInFlight()).isEqualTo(5);
    }

    @Test
    void problemsNameTheFileLineAndKey() {
        List<ConfigProblem> p = problems("mirror {\n  percent = \"150%\"\n  methods = [\"get\", \"CONNECT\"]\n"
                + "  max-in-flight = 0\n  samples = 3\n}");
        assertThat(p).allSatisfy(x -> {
            assertThat(x.file()).endsWith("gateway.conf");
            assertThat(x.line()).isGreaterThan(0);
        });
        assertThat(p).extracting(ConfigProblem::path).contains(
                "ramp.routes[0].mirror.percent",
                "ramp.routes[0].mirror.methods[0]",
                "ramp.routes[0].mirror.methods[1]",
                "ramp.routes[0].mirror.max-in-flight",
                "ramp.routes[0].mirror.samples");
        assertThat(p).filteredOn(x -> x.path().endsWith("methods[0]")).extracting(ConfigProblem::message)
                .singleElement().asString().contains("upper case");
        assertThat(problems("mirror { methods = [] }")).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("is empty"));
    }

    @Test
    void badFieldPathsHeaderNamesAndVerdictsAreRefusedWithFileAndLine() {
        List<ConfigProblem> p = problems("mirror {\n  percent = \"100%\"\n  ignore-fields = [\"a..b\", \".x\", \"ok.path\"]\n"
                + "  ignore-headers = [\"Bad Header\"]\n"
                + "  verdict {\n    window = 2h\n    min-compared = 0\n    max-latency-ratio = 0\n    max-mismatch = \"120%\"\n  }\n}");
        assertThat(p).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "ramp.routes[0].mirror.ignore-fields[0]",
                "ramp.routes[0].mirror.ignore-fields[1]",
                "ramp.routes[0].mirror.ignore-headers[0]",
                "ramp.routes[0].mirror.verdict.window",
                "ramp.routes[0].mirror.verdict.min-compared",
                "ramp.routes[0].mirror.verdict.max-latency-ratio",
                "ramp.routes[0].mirror.verdict.max-mismatch");
        assertThat(p).filteredOn(x -> x.path().endsWith("ignore-fields[0]")).singleElement()
                .satisfies(x -> assertThat(x.line()).isGreaterThan(1));
        assertThat(problems("mirror { percent = \"100%\", verdict { samples = 1 } }")).extracting(ConfigProblem::path)
                .containsExactly("ramp.routes[0].mirror.verdict.samples");
    }

    @Test
    void aRolloutGatedOnTheMirrorNeedsAMirror() throws Exception {
        String plan = "rollout {\n  steps = [\"10%\", \"100%\"]\n  mirror-gate = true\n}";
        List<ConfigProblem> p = problems(plan);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("ramp.routes[0].rollout.mirror-gate");
            assertThat(x.message()).contains("no dark launch");
            assertThat(x.file()).endsWith("gateway.conf");
            assertThat(x.line()).isGreaterThan(1);
        });
        assertThat(problems("mirror { percent = \"0%\" }\n" + plan)).extracting(ConfigProblem::path)
                .containsExactly("ramp.routes[0].rollout.mirror-gate");
        RouteConfig gated = route("mirror { percent = \"100%\" }\n" + plan);
        assertThat(gated.rollout().mirrorGate()).isTrue();
        assertThat(route("mirror { percent = \"100%\" }\nrollout { steps = [\"100%\"] }").rollout().mirrorGate())
                .isFalse();
    }
}
