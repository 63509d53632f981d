package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.testing.TestConfigs;
import dev.ramp.gateway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators edit a real file on disk under a running gateway; edits apply live, bad ones change nothing. */
class ReloadIntegrationTest {
    @TempDir
    Path dir;

    Vertx vertx;
    TestUpstream stable;
    TestUpstream canary;
    TestUpstream other;
    Gateway gateway;
    Reloader reloader;
    Path file;
    final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stable = TestUpstream.start(vertx, "stable");
        canary = TestUpstream.start(vertx, "canary");
        other = TestUpstream.start(vertx, "other");
        file = TestConfigs.write(dir, "gateway.conf", config("5%"));
        gateway = Gateway.start(ConfigLoader.load(file));
        reloader = new Reloader(gateway, ConfigLoader.create())
                .listener(new Reloader.Listener() {
                    @Override
                    public void failed(dev.ramp.gateway.config.GatewayConfig current,
                                       dev.ramp.gateway.config.InvalidConfigException error) {
                        failures.add(error.getMessage());
                    }
                })
                .watch(Duration.ofMillis(100));
    }

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        gateway.shutdown(Duration.ofSeconds(1));
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private String config(String weight) {
        return config(weight, "");
    }

    private String config(String weight, String moreRoutes) {
        return TestConfigs.gateway(dir, TestConfigs.route("shop", stable.port, canary.port, weight, "") + moreRoutes, "");
    }

    private String served(String path, String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("X-User-Id", user).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? new JsonObject(r.body()).getString("name") : "status " + r.statusCode();
    }

    private Map<String, String> versions(int users) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            m.put("user-" + u, served("/x", "user-" + u));
        }
        return m;
    }

    /** Edits the file in place, as `echo > file` would. */
    private void edit(String content) throws Exception {
        Files.writeString(file, content);
    }

    private String weightNow() {
        return gateway.snapshot().route("shop").config().weight().toString();
    }

    @Test
    void aWeightEditAppliesWithinASecondAndNoCanaryUserMovesBack() throws Exception {
        Map<String, String> before = versions(400);
        long start = System.nanoTime();
        edit(config("25%"));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> weightNow().equals("25%"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        Map<String, String> after = versions(400);
        before.forEach((user, v) -> {
            if (v.equals("canary")) {
                assertThat(after.get(user)).as("%s was on the canary at 5%%", user).isEqualTo("canary");
            }
        });
        long canaryBefore = before.values().stream().filter("canary"::equals).count();
        long canaryAfter = after.values().stream().filter("canary"::equals).count();
        assertThat(canaryAfter).isGreaterThan(canaryBefore);
        assertThat(reloader.lastError()).isNull();
        System.out.println("weight edit applied after " + tookMs + " ms");
    }

    @Test
    void anEditorStyleReplaceIsSeen() throws Exception {
        Path tmp = dir.resolve(".gateway.conf.swp");
        Files.writeString(tmp, config("50%"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(1)).until(() -> weightNow().equals("50%"));
    }

    @Test
    void everyKindOfBadEditLeavesRoutingUnchangedIsReportedAndAGoodEditThenApplies() throws Exception {
        Map<String, String> before = versions(100);
        String good = config("5%");
        List<String[]> badEdits = new ArrayList<>();
        badEdits.add(new String[] {"syntax error", good.replace("routes = [", "routes = [ {"), "gateway.conf:"});
        badEdits.add(new String[] {"unknown key", good.replace("shutdown-grace", "shutdown-grase"),
                "did you mean \"shutdown-grace\""});
        badEdits.add(new String[] {"weight above 100%", config("101%"), "ramp.routes[0].weight"});
        badEdits.add(new String[] {"weight with 3 decimals", config("1.125%"), "at most 2"});
        badEdits.add(new String[] {"bad url", good.replace("http://127.0.0.1:" + canary.port, "htp:/nowhere"),
                "ramp.routes[0].canary.url"});
        badEdits.add(new String[] {"duplicate route", config("5%", "," + TestConfigs.route("shop", stable.port,
                canary.port, "1%", "")), "duplicate route name \"shop\""});
        badEdits.add(new String[] {"threshold out of range", good.replace("weight = \"5%\"",
                "weight = \"5%\"\n guard { min-requests = 0 }"), "ramp.routes[0].guard.min-requests"});
        for (String[] bad : badEdits) {
            int failuresBefore = failures.size();
            edit(bad[1]);
            await().atMost(Duration.ofSeconds(2)).until(() -> failures.size() > failuresBefore);
            assertThat(reloader.lastError()).as(bad[0]).contains(file.toString() + ":").contains(bad[2]);
            assertThat(versions(100)).as("routing after a bad edit (%s)", bad[0]).isEqualTo(before);
            assertThat(weightNow()).isEqualTo("5%");
            // validate says exactly what the reload said
            assertThat(validate(file)).as(bad[0]).isEqualTo(2);
        }
        edit(config("30%"));
        await().atMost(Duration.ofSeconds(1)).until(() -> weightNow().equals("30%"));
        // Gateway.apply publishes the snapshot before it records the config as loaded: wait for both.
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(reloader.lastError()).isNull());
        assertThat(validate(file)).isZero();
    }

    @Test
    void undoingABadEditIsRecordedCountedAndClearsTheError() throws Exception {
        String good = config("5%");
        edit(good.replace("shutdown-grace", "shutdown-grase"));
        await().atMost(Duration.ofSeconds(2)).until(() -> !failures.isEmpty());
        assertThat(reloader.lastError()).contains("shutdown-grase");
        double goodReloads = bed().counter("ramp_config_reloads_total", "result", "success");

        edit(good); // the operator restores the file as it was: the config serving is unchanged
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(reloader.lastError()).isNull());
        var newest = gateway.events().recent().get(0);
        assertThat(newest).isInstanceOf(dev.ramp.gateway.events.ConfigReloaded.class);
        assertThat(((dev.ramp.gateway.events.ConfigReloaded) newest).recovered()).isTrue();
        assertThat(bed().counter("ramp_config_reloads_total", "result", "success")).isEqualTo(goodReloads + 1);
    }

    private dev.ramp.gateway.testing.PrometheusScrape bed() {
        return dev.ramp.gateway.testing.PrometheusScrape.parse(gateway.metrics().scrape());
    }

    @Test
    void routesCanBeAddedAndRemoved() throws Exception {
        String withApi = config("5%", "," + TestConfigs.route("api", other.port, other.port, "0%",
                "match { path-prefix = \"/api\" }"));
        edit(withApi);
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.snapshot().route("api") != null);
        assertThat(served("/api/items", "u1")).isEqualTo("other");
        edit(config("5%"));
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.snapshot().route("api") == null);
        assertThat(served("/api/items", "u1")).isIn("stable", "canary");
    }

    @Test
    void aReloadKeepsTheRoutesItDoesNotChangeWholeAndRebuildsTheOnesItDoes() throws Exception {
        String api = "," + TestConfigs.route("api", other.port, other.port, "%s", "match { path-prefix = \"/api\" }");
        edit(config("5%", api.formatted("0%")));
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.snapshot().route("api") != null);
        served("/x", "u1");
        var shop = gateway.snapshot().route("shop");
        var apiBefore = gateway.snapshot().route("api");
        edit(config("5%", api.formatted("10%")));
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.snapshot().route("api").config().weight().toString()
                .equals("10%"));
        assertThat(gateway.snapshot().route("shop")).as("untouched by the edit").isSameAs(shop);
        assertThat(gateway.snapshot().route("api")).isNotSameAs(apiBefore);
        assertThat(gateway.snapshot().route("api").state()).as("live state moves on").isSameAs(apiBefore.state());
        assertThat(served("/x", "u1")).isIn("stable", "canary");
        assertThat(served("/api/items", "u1")).isEqualTo("other");
    }

    @Test
    void includedFilesAreWatchedToo() throws Exception {
        Path routes = TestConfigs.write(dir, "routes.conf", "ramp.routes = [ "
                + TestConfigs.route("shop", stable.port, canary.port, "5%", "") + " ]");
        edit(TestConfigs.gateway(dir, "", "").replaceAll("routes = \\[\\s*]", "") + "\ninclude \"routes.conf\"\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> reloader.watchedFiles().size() == 2);
        assertThat(reloader.lastError()).isNull();
        Files.writeString(routes, "ramp.routes = [ " + TestConfigs.route("shop", stable.port, canary.port, "75%", "") + " ]");
        await().atMost(Duration.ofSeconds(1)).until(() -> weightNow().equals("75%"));
    }

    @Test
    void aRebuiltSnapshotKeepsUpstreamPools() throws Exception {
        for (int i = 0; i < 10; i++) {
            served("/x", "same-user");
        }
        int connections = stable.connections.get() + canary.connections.get();
        edit(config("6%"));
        await().atMost(Duration.ofSeconds(1)).until(() -> weightNow().equals("6%"));
        for (int i = 0; i < 10; i++) {
            served("/x", "same-user");
        }
        assertThat(stable.connections.get() + canary.connections.get()).isEqualTo(connections);
    }

    private static int validate(Path f) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return Main.execute("validate", "--config", f.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }
}
