package dev.ramp.gateway.admin;

import static dev.ramp.gateway.testing.TestBed.admin;
import static dev.ramp.gateway.testing.TestBed.traffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/alerts} against a running gateway with Alertmanager's webhook payload (version 4): what
 * reverts, what is reported, what is refused, and that a refused body changes nothing.
 */
class AlertsApiTest {
    private static final String TOKEN = "alert-token-0123456789";
    private static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        gateway = bed.start(bed.gatewayConf(TOKEN, bed.route("shop", "/shop", "100%"), bed.route("cart", "/cart", "100%")));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        bed.close();
    }

    /** One alert as Alertmanager sends it. */
    static JsonObject alert(String status, Map<String, String> labels, Map<String, String> annotations) {
        JsonObject l = new JsonObject();
        labels.forEach(l::put);
        JsonObject a = new JsonObject();
        annotations.forEach(a::put);
        return new JsonObject().put("status", status).put("labels", l).put("annotations", a)
                .put("startsAt", "2026-12-02T10:00:00.000Z").put("endsAt", "0001-01-01T00:00:00Z")
                .put("generatorURL", "http://prometheus:9090/graph").put("fingerprint", "c0ffee");
    }

    static JsonObject firing(String alertname, String route) {
        return alert("firing", Map.of("alertname", alertname, "route", route, "severity", "page"),
                Map.of("summary", "canary burns its error budget", "runbook", "https://runbooks.example/ramp"));
    }

    /** Alertmanager's envelope around {@code alerts}. */
    static String payload(JsonObject... alerts) {
        return new JsonObject().put("version", "4").put("groupKey", "{}:{alertname=\"x\"}").put("truncatedAlerts", 0)
                .put("status", alerts.length > 0 ? alerts[0].getString("status") : "firing").put("receiver", "ramp")
                .put("groupLabels", new JsonObject()).put("commonLabels", new JsonObject())
                .put("commonAnnotations", new JsonObject()).put("externalURL", "http://alertmanager:9093")
                .put("alerts", new JsonArray(List.of((Object[]) alerts))).encode();
    }

    private HttpResponse<String> post(String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin(gateway, "/api/alerts")))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return bed.send(b);
    }

    private JsonObject route(String name) {
        JsonArray routes = new JsonObject(bed.get(admin(gateway, "/api/status")).body()).getJsonArray("routes");
        for (int i = 0; i < routes.size(); i++) {
            if (routes.getJsonObject(i).getString("name").equals(name)) {
                return routes.getJsonObject(i);
            }
        }
        throw new AssertionError("no route " + name + " in " + routes);
    }

    private long events(String type) {
        return gateway.events().recent().stream().filter(e -> e.type().equals(type)).count();
    }

    @Test
    void aFiringAlertRevertsTheRouteItNamesAndTheLatchKeepsTheAlert() throws Exception {
        HttpResponse<String> r = post(payload(firing("CanaryErrorBudgetBurn", "shop")), "Authorization", BEARER);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(r.body());
        assertThat(answer.getInteger("received")).isEqualTo(1);
        assertThat(answer.getInteger("reverted")).isEqualTo(1);
        assertThat(answer.getJsonArray("alerts").getJsonObject(0)).isEqualTo(new JsonObject()
                .put("alertname", "CanaryErrorBudgetBurn").put("status", "firing").put("route", "shop")
                .put("result", "reverted"));

        JsonObject shop = route("shop");
        assertThat(shop.getString("state")).isEqualTo("reverted");
        assertThat(shop.getString("effectiveWeight")).isEqualTo("0%");
        JsonObject latch = shop.getJsonObject("latch");
        assertThat(latch.getString("reason")).isEqualTo("alert:CanaryErrorBudgetBurn");
        assertThat(latch.getJsonObject("alert").getString("name")).isEqualTo("CanaryErrorBudgetBurn");
        assertThat(latch.getJsonObject("alert").getJsonObject("labels").getMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of("alertname", "CanaryErrorBudgetBurn", "route", "shop", "severity", "page"));
        assertThat(latch.getJsonObject("alert").getJsonObject("annotations").getString("summary"))
                .isEqualTo("canary burns its error budget");
        assertThat(route("cart").getString("state")).isNotEqualTo("reverted");

        // The latch file holds the alert too, so a restart keeps why the route is held.
        Path file = Path.of(latch.getString("file"));
        JsonObject onDisk = new JsonObject(Files.readString(file));
        assertThat(onDisk.getJsonObject("alert").getJsonObject("labels").getString("severity")).isEqualTo("page");
        // The event carries it as well; the counter says "alert", whatever the alert's name.
        EventLog.Event revert = gateway.events().recent().stream().filter(e -> e.type().equals("revert"))
                .findFirst().orElseThrow();
        assertThat(EventJson.details(revert).getJsonObject("alert").getString("name")).isEqualTo("CanaryErrorBudgetBurn");
        assertThat(bed.scrape(gateway).counter("ramp_reverts_total", "route", "shop", "reason", "alert")).isEqualTo(1.0);
        for (int i = 0; i < 20; i++) {
            assertThat(new JsonObject(bed.get(traffic(gateway, "/shop/x")).body()).getString("version")).isEqualTo("stable");
        }
    }

    @Test
    void alertmanagersRepeatsRevertOnceAndRecordOneEvent() {
        String body = payload(firing("CanaryErrorBudgetBurn", "shop"));
        List<String> results = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = post(body, "Authorization", BEARER);
            assertThat(r.statusCode()).isEqualTo(200);
            results.add(new JsonObject(r.body()).getJsonArray("alerts").getJsonObject(0).getString("result"));
        }
        assertThat(results).containsExactly("reverted", "already_reverted", "already_reverted", "already_reverted");
        assertThat(events("revert")).isEqualTo(1);
        assertThat(bed.scrape(gateway).counter("ramp_reverts_total", "route", "shop", "reason", "alert")).isEqualTo(1.0);
    }

    @Test
    void resolvedAlertsChangeNothing() {
        JsonObject resolved = alert("resolved", Map.of("alertname", "CanaryErrorBudgetBurn", "route", "shop"), Map.of());
        HttpResponse<String> before = post(payload(resolved), "Authorization", BEARER);
        assertThat(new JsonObject(before.body()).getJsonArray("alerts").getJsonObject(0).getString("result"))
                .isEqualTo("resolved_ignored");
        assertThat(route("shop").getString("state")).isNotEqualTo("reverted");

        post(payload(firing("CanaryErrorBudgetBurn", "shop")), "Authorization", BEARER);
        HttpResponse<String> after = post(payload(resolved), "Authorization", BEARER);
        assertThat(after.statusCode()).isEqualTo(200);
        // Resolving the alert does not lift the latch: a person or a new canary does.
        assertThat(route("shop").getString("state")).isEqualTo("reverted");
        assertThat(events("resume")).isZero();
    }

    @Test
    void alertsNamingNoRouteAreReportedInTheAnswerAndTheEventsNotRefused() {
        JsonObject noLabel = alert("firing", Map.of("alertname", "DiskFull"), Map.of());
        HttpResponse<String> r = post(payload(firing("CanaryErrorBudgetBurn", "shopp"), noLabel,
                firing("CanaryErrorBudgetBurn", "cart")), "Authorization", BEARER);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray lines = new JsonObject(r.body()).getJsonArray("alerts");
        assertThat(lines.getJsonObject(0).getString("result")).isEqualTo("unknown_route");
        assertThat(lines.getJsonObject(1).getString("result")).isEqualTo("no_route_label");
        assertThat(lines.getJsonObject(2).getString("result")).isEqualTo("reverted");
        assertThat(route("shop").getString("state")).isNotEqualTo("reverted");
        assertThat(route("cart").getString("state")).isEqualTo("reverted");

        List<JsonObject> unmatched = gateway.events().recent().stream()
                .filter(e -> e.type().equals(EventLog.ALERT_UNMATCHED)).map(EventJson::details).toList();
        assertThat(unmatched).hasSize(2);
        assertThat(unmatched).extracting(d -> d.getString("routeLabel")).containsExactlyInAnyOrder("shopp", null);
        assertThat(unmatched).extracting(d -> d.getString("alertname")).contains("DiskFull");
    }

    @Test
    void aMalformedBodyIsA400SayingWhatIsWrongAndChangesNothing() {
        JsonObject good = firing("CanaryErrorBudgetBurn", "shop");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "empty body");
        cases.put("{\"version\":", "not a JSON object");
        cases.put("[]", "not a JSON object");
        cases.put(new JsonObject().put("version", "3").put("alerts", new JsonArray()).encode(), "version: \"3\"");
        cases.put(new JsonObject().put("alerts", new JsonArray()).encode(), "version: missing");
        cases.put(new JsonObject().put("version", "4").encode(), "alerts: missing");
        cases.put(new JsonObject().put("version", "4").put("alerts", new JsonObject()).encode(), "alerts: {}");
        // A good alert first, then a bad one: the good one must not have been acted on.
        cases.put(payload(good, alert("pending", Map.of("alertname", "X", "route", "shop"), Map.of())),
                "alerts[1].status: \"pending\" (expected: \"firing\" or \"resolved\")");
        cases.put(payload(good, alert("firing", Map.of("route", "shop"), Map.of())), "alerts[1].labels.alertname: missing");
        cases.put(payload(good, good.copy().put("labels", new JsonObject().put("alertname", "X").put("n", 5))),
                "alerts[1].labels.n: 5 (expected: a string)");
        cases.put(payload(good, good.copy().put("annotations", "text")), "alerts[1].annotations: \"text\"");
        cases.put(payload(good, good.copy().put("labels", new JsonArray())), "alerts[1].labels: []");

        cases.forEach((body, problem) -> {
            HttpResponse<String> r = post(body, "Authorization", BEARER);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            JsonObject error = new JsonObject(r.body());
            assertThat(error.getString("error")).isEqualTo("bad_alert_payload");
            assertThat(error.getString("message")).as(body).contains(problem);
        });
        assertThat(route("shop").getString("state")).isNotEqualTo("reverted");
        assertThat(events("revert")).isZero();
        assertThat(events(EventLog.ALERT_UNMATCHED)).isZero();
    }

    @Test
    void withoutTheTokenAlertsAreRefusedAndNothingChanges() {
        String body = payload(firing("CanaryErrorBudgetBurn", "shop"));
        HttpResponse<String> none = post(body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(post(body, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(post(body, "Authorization", TOKEN).statusCode()).isEqualTo(401); // no "Bearer "
        assertThat(route("shop").getString("state")).isNotEqualTo("reverted");
        assertThat(events("revert")).isZero();
    }

    @Test
    void aBodyOverTheLimitIs413() {
        JsonObject big = firing("CanaryErrorBudgetBurn", "shop");
        big.getJsonObject("annotations").put("description", "x".repeat(AdminServer.MAX_BODY_BYTES));
        HttpResponse<String> r = post(payload(big), "Authorization", BEARER);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(route("shop").getString("state")).isNotEqualTo("reverted");
    }

    @Test
    void onlyPostIsAllowed() {
        HttpResponse<String> r = bed.get(admin(gateway, "/api/alerts"), "Authorization", BEARER);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("POST");
    }
}
