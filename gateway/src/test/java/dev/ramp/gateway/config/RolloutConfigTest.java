package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rollout} block: defaults, both kinds of steps, and every problem with its file and line. */
class RolloutConfigTest {
    @TempDir
    Path dir;

    private static String route(String rollout) {
        return """
                ramp {
                  routes = [
                    {
                      name = "shop"
                      stable { url = "http://127.0.0.1:9001", version = "v1" }
                      canary { url = "http://127.0.0.1:9002", version = "v2" }
                      weight = "0%%"
                      %s
                    }
                  ]
                }
                """.formatted(rollout);
    }

    private RouteConfig load(String rollout) throws Exception {
        return ConfigLoader.load(TestConfigs.write(dir, "g.conf", route(rollout))).routes().get(0);
    }

    private List<ConfigProblem> problems(String rollout) {
        try {
            ConfigLoader.load(TestConfigs.write(dir, "bad.conf", route(rollout)));
        } catch (InvalidConfigException e) {
            return e.problems();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the config to be invalid:\n" + rollout);
    }

    @Test
    void aRouteWithoutARolloutBlockHasNoPlan() throws Exception {
        assertThat(load("").rollout()).isNull();
    }

    @Test
    void listedStepsTakeTheDefaultsForEverythingElse() throws Exception {
        RolloutSettings r = load("rollout { steps = [\"1%\", \"5%\", \"25%\", \"50%\", \"100%\"] }").rollout();
        assertThat(r.steps()).extracting(Percent::basisPoints).containsExactly(100, 500, 2500, 5000, 10_000);
        assertThat(r.exponential()).isFalse();
        assertThat(r.stepEvery()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.minRequests()).isEqualTo(500);
        assertThat(r.gates()).isEmpty();
        assertThat(r.gateTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.promoteAfter()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anExponentialRampWithEveryKeySet() throws Exception {
        RolloutSettings r = load("""
                rollout {
                  exponential { start = "1%", factor = 2 }
                  step-every = 2s, min-requests = 10, gates = ["http://127.0.0.1:8000/ok"], gate-timeout = 1s
                  promote-after = 0s
                }""").rollout();
        assertThat(r.exponential()).isTrue();
        assertThat(r.exponentialStart().basisPoints()).isEqualTo(100);
        assertThat(r.exponentialFactor()).isEqualTo(2.0);
        assertThat(r.gates()).containsExactly(URI.create("http://127.0.0.1:8000/ok"));
        assertThat(r.promoteAfter()).isZero();
    }

    @Test
    void stepsThatDoNotRiseOrDoNotEndAtAHundredPercentAreRefusedWithTheirLine() {
        List<ConfigProblem> p = problems("rollout {\n steps = [\"5%\", \"5%\", \"50%\"]\n }");
        assertThat(p).extracting(ConfigProblem::path).contains("ramp.routes[0].rollout.steps[1]", "ramp.routes[0].rollout.steps");
        assertThat(p).allSatisfy(x -> assertThat(x.line()).as("the line of steps = [...]").isEqualTo(9));
        assertThat(p.toString()).contains("is not above the step before it").contains("the last step is \"100%\"");
    }

    @Test
    void aPlanNeedsStepsOrAnExponentialRampButNotBoth() {
        assertThat(problems("rollout { step-every = 1m }")).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("is required (expected: steps = ["));
        assertThat(problems("rollout { steps = [\"100%\"], exponential { start = \"1%\", factor = 2 } }"))
                .extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("together with steps"));
    }

    @Test
    void badExponentialValuesAreRefused() {
        assertThat(problems("rollout { exponential { start = \"0%\", factor = 2 } }")).extracting(ConfigProblem::path)
                .containsExactly("ramp.routes[0].rollout.exponential.start");
        assertThat(problems("rollout { exponential { start = \"1%\", factor = 1 } }")).extracting(ConfigProblem::path)
                .containsExactly("ramp.routes[0].rollout.exponential.factor");
        assertThat(problems("rollout { exponential { start = \"0.01%\", factor = 1.01 } }")).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("needs more than 100 steps"));
    }

    @Test
    void unknownKeysInTheBlockAndTheRampAreErrorsWithAHint() {
        assertThat(problems("rollout { steps = [\"100%\"], step-evry = 1m }")).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("did you mean \"step-every\""));
        assertThat(problems("rollout { exponential { start = \"1%\", factr = 2 } }")).extracting(ConfigProblem::path)
                .contains("ramp.routes[0].rollout.exponential.factr");
    }

    @Test
    void routeDefaultsSetTheRolloutDefaultsOfEveryPlanButNotThePlanItself() throws Exception {
        String conf = route("rollout { steps = [\"100%\"] }").replaceFirst("ramp \\{",
                "ramp {\n  route-defaults { rollout { step-every = 5m, min-requests = 50 } }");
        RolloutSettings r = ConfigLoader.load(TestConfigs.write(dir, "d.conf", conf)).routes().get(0).rollout();
        assertThat(r.stepEvery()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.minRequests()).isEqualTo(50);
        String planInDefaults = route("").replaceFirst("ramp \\{",
                "ramp {\n  route-defaults { rollout { steps = [\"100%\"] } }");
        try {
            ConfigLoader.load(TestConfigs.write(dir, "e.conf", planInDefaults));
            throw new AssertionError("a plan in route-defaults must be refused");
        } catch (InvalidConfigException e) {
            assertThat(e.problems()).extracting(ConfigProblem::path).contains("ramp.route-defaults.rollout.steps");
        }
    }

    @Test
    void gatesMustBeHttpUrls() {
        assertThat(problems("rollout { steps = [\"100%\"], gates = [\"ftp://x/y\", \"http://ok/\"] }"))
                .extracting(ConfigProblem::path).containsExactly("ramp.routes[0].rollout.gates[0]");
    }

    @Test
    void thePromotionEditTheStatusAsksForIsValid() throws Exception {
        // At ready_to_promote the operator makes the canary the stable and keeps the block for the next canary.
        RouteConfig r = ConfigLoader.load(TestConfigs.write(dir, "promoted.conf", """
                ramp {
                  routes = [
                    {
                      name = "shop"
                      stable { url = "http://127.0.0.1:9002", version = "v2" }
                      canary { url = "http://127.0.0.1:9002", version = "v2" }
                      weight = "0%"
                      rollout { steps = ["1%", "100%"] }
                    }
                  ]
                }
                """)).routes().get(0);
        assertThat(r.stable()).isEqualTo(r.canary());
    }
}
