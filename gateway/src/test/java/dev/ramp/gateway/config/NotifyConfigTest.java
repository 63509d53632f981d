package dev.ramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.testing.TestConfigs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp.notify}: defaults from notify-defaults, and every mistake reported with its file and line. */
class NotifyConfigTest {
    @TempDir
    Path dir;

    private static String conf(String notify) {
        return """
                ramp {
                  routes = [
                    {
                      name = "shop"
                      stable { url = "http://127.0.0.1:9001", version = "v1" }
                      canary { url = "http://127.0.0.1:9002", version = "v2" }
                      weight = "5%%"
                    }
                  ]
                %s
                }
                """.formatted(notify);
    }

    private List<ConfigProblem> problems(String notify) {
        Path f = TestConfigs.write(dir, "bad.conf", conf(notify));
        try {
            ConfigLoader.load(f);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the config to be invalid:\n" + notify);
    }

    private GatewayConfig load(String notify) throws Exception {
        return ConfigLoader.load(TestConfigs.write(dir, "g.conf", conf(notify)));
    }

    @Test
    void noWebhooksByDefault() throws Exception {
        assertThat(load("").notifyTargets()).isEmpty();
    }

    @Test
    void aWebhookTakesNotifyDefaultsKeyByKey() throws Exception {
        GatewayConfig c = load("""
                  notify-defaults { timeout = 2s }
                  notify = [
                    { url = "https://hooks.slack.example/services/T0/B0/secret", format = "slack", events = ["revert"] }
                    { url = "http://127.0.0.1:9999/ramp", name = "pager", max-attempts = 3,
                      headers { Authorization = "Bearer abc" } }
                  ]
                """);
        NotifyTarget slack = c.notifyTargets().get(0);
        assertThat(slack.name()).isEqualTo("hooks.slack.example"); // the host, when no name is given
        assertThat(slack.url()).isEqualTo(URI.create("https://hooks.slack.example/services/T0/B0/secret"));
        assertThat(slack.format()).isEqualTo(NotifyFormat.SLACK);
        assertThat(slack.events()).containsExactly("revert");
        assertThat(slack.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(slack.maxAttempts()).isEqualTo(5);
        assertThat(slack.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(slack.queue()).isEqualTo(100);
        assertThat(slack.headers()).isEmpty();
        // The secret parts of a webhook never reach a log line.
        assertThat(slack.toString()).doesNotContain("secret").contains("hooks.slack.example");

        NotifyTarget pager = c.notifyTargets().get(1);
        assertThat(pager.name()).isEqualTo("pager");
        assertThat(pager.format()).isEqualTo(NotifyFormat.JSON);
        assertThat(pager.events()).isEqualTo(Set.of("revert", "resume", "rollout", "reload_failed"));
        assertThat(pager.maxAttempts()).isEqualTo(3);
        assertThat(pager.headers()).isEqualTo(Map.of("Authorization", "Bearer abc"));
        assertThat(pager.toString()).doesNotContain("abc");
    }

    @Test
    void anUnknownEventIsReportedAtItsLineWithTheKnownOnes() {
        List<ConfigProblem> p = problems("""
                  notify = [
                    { url = "http://127.0.0.1:9999/x",
                      events = ["revert", "reverts"] }
                  ]
                """);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).line()).isEqualTo(12);
        assertThat(p.get(0).path()).isEqualTo("ramp.notify[0].events[1]");
        assertThat(p.get(0).message()).contains("\"reverts\"").contains("ready_to_promote").contains("rollout");
    }

    @Test
    void anUnknownKeyInAWebhookIsAnErrorWithAHint() {
        List<ConfigProblem> p = problems("""
                  notify = [
                    { url = "http://127.0.0.1:9999/x",
                      timout = 3s }
                  ]
                """);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).line()).isEqualTo(12);
        assertThat(p.get(0).path()).isEqualTo("ramp.notify[0].timout");
        assertThat(p.get(0).message()).contains("did you mean \"timeout\"");
    }

    @Test
    void badValuesAreAllReportedAndAUrlIsNeverEchoed() {
        List<ConfigProblem> p = problems("""
                  notify = [
                    { url = "ftp://files.example/secret-path", format = "xml", events = [],
                      max-attempts = 0, queue = 0, timeout = 0s }
                    { events = ["revert"] }
                  ]
                """);
        assertThat(p).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "ramp.notify[0].url", "ramp.notify[0].format", "ramp.notify[0].events", "ramp.notify[0].max-attempts",
                "ramp.notify[0].queue", "ramp.notify[0].timeout", "ramp.notify[1].url");
        assertThat(p).allSatisfy(problem -> assertThat(problem.toString()).doesNotContain("secret-path"));
        assertThat(p).filteredOn(x -> x.path().equals("ramp.notify[1].url")).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("is required"));
    }

    @Test
    void twoWebhooksOnOneHostNeedNames() {
        List<ConfigProblem> p = problems("""
                  notify = [
                    { url = "http://127.0.0.1:9999/a" }
                    { url = "http://127.0.0.1:9999/b" }
                  ]
                """);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("ramp.notify[1].name");
            assertThat(x.message()).contains("duplicate notify target \"127.0.0.1\"").contains("set name");
        });
    }

    @Test
    void aHeaderValueMustBeOneLineAndIsNotEchoed() {
        List<ConfigProblem> p = problems("""
                  notify = [
                    { url = "http://127.0.0.1:9999/a", headers { Authorization = "Bearer x\\nInjected: 1" } }
                  ]
                """);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("Authorization").doesNotContain("Injected");
            assertThat(x.line()).isEqualTo(11);
        });
    }
}
