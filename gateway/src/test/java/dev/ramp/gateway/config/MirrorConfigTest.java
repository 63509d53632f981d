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
        MirrorSettings all = route("mirror { percent = \"100%\", methods = [\"GET\", \"POST\"], compare = false,"
                + " ignore-headers = [], max-in-flight = 5 }").mirror();
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
}
