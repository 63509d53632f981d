package dev.ramp.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ramp.gateway.guard.Breach;
import dev.ramp.gateway.guard.Evidence;
import dev.ramp.gateway.guard.GuardThresholds;
import dev.ramp.gateway.guard.Judge;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.guard.SlidingWindow;
import dev.ramp.gateway.guard.Verdict;
import dev.ramp.gateway.guard.WindowSnapshot;
import dev.ramp.gateway.state.Latch;
import dev.ramp.gateway.state.LatchHold;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's records as the admin API shows them: keys, order, rounding, nulls for what was not measured. */
class GuardJsonTest {

    private static WindowSnapshot window(int requests, int errors, double latencyMs) {
        SlidingWindow w = new SlidingWindow(Duration.ofSeconds(30), () -> 1_000_000_000L);
        for (int i = 0; i < requests; i++) {
            w.record(i < errors ? Outcome.SERVER_5XX : Outcome.SUCCESS_2XX, Math.round(latencyMs * 1e6));
        }
        return w.snapshot();
    }

    @Test
    void anEmptyWindowReportsZeros() {
        assertThat(GuardJson.window(WindowSnapshot.EMPTY).encode())
                .isEqualTo("{\"requests\":0,\"errorRate\":0.0,\"p50Ms\":0.0,\"p95Ms\":0.0,\"p99Ms\":0.0}");
    }

    @Test
    void windowsRoundTheErrorRateToSixDecimalsAndLatenciesToMicroseconds() {
        SlidingWindow w = new SlidingWindow(Duration.ofSeconds(30), () -> 1_000_000_000L);
        for (int i = 0; i < 2; i++) {
            w.record(Outcome.SERVER_5XX, 12_345_678);
        }
        for (int i = 0; i < 1000; i++) {
            w.record(Outcome.SUCCESS_2XX, i < 998 ? 12_345_678 : 1_000_000);
        }
        JsonObject json = GuardJson.window(w.snapshot());
        assertThat(json.fieldNames()).containsExactly("requests", "errorRate", "p50Ms", "p95Ms", "p99Ms");
        assertThat(json.getLong("requests")).isEqualTo(1002);
        assertThat(json.getDouble("errorRate")).isEqualTo(0.001996); // 2 / 1002 = 0.0019960...
        assertThat(json.getDouble("p99Ms")).isEqualTo(12.351); // bucket's highest value, to the microsecond
    }

    @Test
    void verdictJsonCarriesStateBreachesAndEvidenceWithoutNaN() {
        Verdict verdict = Judge.evaluate(window(1_000, 0, 20), window(1_000, 0, 120), GuardThresholds.defaults());

        JsonObject json = GuardJson.verdict(verdict);

        assertThat(json.getString("state")).isEqualTo("breaching");
        assertThat(json.getJsonArray("breaches").getJsonObject(0).getString("rule")).isEqualTo("latency_increase");
        JsonObject evidence = json.getJsonObject("evidence");
        assertThat(evidence.fieldNames())
                .containsExactly("stable", "canary", "compared", "testLevel", "pValues", "rules");
        assertThat(evidence.getDouble("testLevel")).isEqualTo(GuardThresholds.defaults().testLevel());
        JsonObject latency = evidence.getJsonArray("rules").getJsonObject(3);
        assertThat(latency.getString("rule")).isEqualTo("latency_increase");
        assertThat(latency.getDouble("value")).as("canary p95 minus stable p95").isCloseTo(100, within(0.5));
        assertThat(latency.getDouble("limit")).as("+50 %% of stable's 20 ms").isCloseTo(10, within(0.1));
        assertThat(latency.getDouble("shareOfLimit")).isCloseTo(10, within(0.1));
        assertThat(latency.getBoolean("breached")).isTrue();
        JsonObject errors = evidence.getJsonArray("rules").getJsonObject(0);
        assertThat(errors.getString("rule")).isEqualTo("error_rate");
        assertThat(errors.getDouble("value")).isZero();
        assertThat(errors.getValue("pValue")).as("not tested below its limit").isNull();
        assertThat(errors.getBoolean("breached")).isFalse();
        assertThat(evidence.getJsonObject("stable").fieldNames())
                .containsExactly("requests", "errorRate", "p50Ms", "p95Ms", "p99Ms", "errors");
        assertThat(evidence.getJsonObject("canary").getDouble("p95Ms")).isCloseTo(120, within(0.2));
        JsonObject pValues = evidence.getJsonObject("pValues");
        assertThat(pValues.fieldNames()).containsExactly("error_rate", "error_rate_increase", "p99", "latency_increase");
        assertThat(pValues.getDouble("latency_increase")).isLessThan(1e-10);
        assertThat(pValues.containsKey("error_rate")).isTrue();
        assertThat(pValues.getValue("error_rate")).isNull();
        assertThat(json.encode()).doesNotContain("NaN");
    }

    @Test
    void untestedEvidenceHasNullPValues() {
        assertThat(GuardJson.evidence(Evidence.untested(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY)).encode())
                .isEqualTo("{\"stable\":{\"requests\":0,\"errorRate\":0.0,\"p50Ms\":0.0,\"p95Ms\":0.0,\"p99Ms\":0.0,"
                        + "\"errors\":0},\"canary\":{\"requests\":0,\"errorRate\":0.0,\"p50Ms\":0.0,\"p95Ms\":0.0,"
                        + "\"p99Ms\":0.0,\"errors\":0},\"compared\":false,\"testLevel\":null,\"pValues\":{\"error_rate\":null,"
                        + "\"error_rate_increase\":null,\"p99\":null,\"latency_increase\":null},\"rules\":[]}");
    }

    @Test
    void aRouteWithoutAGuardShowsEmptyWindowsOfNulls() {
        assertThat(GuardJson.status(GuardView.disabled("guard_disabled", null)).encode())
                .isEqualTo("{\"state\":\"guard_disabled\",\"latch\":null,\"window\":{"
                        + "\"stable\":{\"requests\":0,\"errorRate\":null,\"p50Ms\":null,\"p95Ms\":null,\"p99Ms\":null},"
                        + "\"canary\":{\"requests\":0,\"errorRate\":null,\"p50Ms\":null,\"p95Ms\":null,\"p99Ms\":null}}}");
    }

    @Test
    void aGuardedRouteShowsItsVerdict() {
        Verdict verdict = new Verdict(Verdict.State.BREACHING, List.of(new Breach("p99", "p99 900 ms > 500 ms")),
                Evidence.untested(WindowSnapshot.EMPTY, WindowSnapshot.EMPTY));
        JsonObject json = GuardJson.status(new GuardView("breaching", null, verdict, 1, 3));
        assertThat(json.fieldNames()).containsExactly("state", "latch", "window", "guard");
        JsonObject guard = json.getJsonObject("guard");
        JsonObject evidence = guard.getJsonObject("evidence");
        assertThat(evidence).isEqualTo(GuardJson.evidence(verdict.evidence()));
        guard.remove("evidence");
        assertThat(guard.encode()).isEqualTo("{\"verdict\":\"breaching\",\"breaches\":"
                + "[{\"rule\":\"p99\",\"message\":\"p99 900 ms > 500 ms\"}],\"consecutiveBreaches\":1,\"breachesToRevert\":3}");
    }

    @Test
    void holdsShowTheLatchOrTheCorruptFileAndHowToLiftThem() {
        Path file = Path.of("/var/lib/ramp/shop.json");
        Latch latch = new Latch("shop", "manual", Instant.parse("2026-11-22T10:15:30Z"), "http://c:9002", "v2", null);
        String lift = "\"lift\":\"POST /api/routes/shop/resume, or deploy a new canary (change its version or url in the"
                + " config); a weight-only edit leaves the route reverted\"";
        assertThat(GuardJson.hold(LatchHold.of(latch, file)).encode()).isEqualTo("{\"route\":\"shop\",\"reason\":\"manual\","
                + "\"at\":\"2026-11-22T10:15:30Z\",\"canaryUrl\":\"http://c:9002\",\"canaryVersion\":\"v2\",\"evidence\":{},"
                + "\"file\":\"/var/lib/ramp/shop.json\"," + lift + "}");
        assertThat(GuardJson.hold(LatchHold.corrupt("shop", file, "not JSON")).encode()).isEqualTo("{\"route\":\"shop\","
                + "\"corrupt\":true,\"problem\":\"not JSON\",\"file\":\"/var/lib/ramp/shop.json\"," + lift + "}");
    }
}
