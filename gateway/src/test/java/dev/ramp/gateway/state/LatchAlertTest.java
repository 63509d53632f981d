package dev.ramp.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A latch set by an alert keeps the alert on disk; files written before alerts existed still load. */
class LatchAlertTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:15:30Z");

    @TempDir
    Path dir;

    @Test
    void anAlertsLatchReadsBackWithItsLabelsAndAnnotations() throws IOException {
        LatchStore store = new LatchStore(dir);
        AlertCause alert = new AlertCause("CanaryErrorBudgetBurn",
                Map.of("alertname", "CanaryErrorBudgetBurn", "route", "shop", "severity", "page"),
                Map.of("summary", "5% of canary requests fail"));
        Latch latch = new Latch("shop", alert.reason(), AT, "http://127.0.0.1:9002", "v1.5.0", new JsonObject(), alert);

        store.write(latch);

        assertThat(store.read("shop")).isEqualTo(LatchRead.present(latch));
        JsonObject file = new JsonObject(Files.readString(store.file("shop")));
        assertThat(file.getString("reason")).isEqualTo("alert:CanaryErrorBudgetBurn");
        assertThat(file.getJsonObject("alert")).isEqualTo(new JsonObject().put("name", "CanaryErrorBudgetBurn")
                .put("labels", new JsonObject().put("alertname", "CanaryErrorBudgetBurn").put("route", "shop")
                        .put("severity", "page"))
                .put("annotations", new JsonObject().put("summary", "5% of canary requests fail")));
    }

    @Test
    void aLatchFileWrittenBeforeAlertsExistedLoadsWithoutAnAlert() throws IOException {
        Files.writeString(dir.resolve("shop.json"), """
                {"route":"shop","reason":"error_rate","at":"2026-11-22T10:15:30.123Z",
                 "canaryUrl":"http://127.0.0.1:9002","canaryVersion":"v1.5.0","evidence":{"compared":true}}
                """);

        LatchRead read = new LatchStore(dir).read("shop");

        assertThat(read).isInstanceOf(LatchRead.Present.class);
        Latch latch = ((LatchRead.Present) read).latch();
        assertThat(latch.alert()).isNull();
        assertThat(LatchJson.toJson(latch).containsKey("alert")).isFalse(); // written back as it was
    }

    @Test
    void aManualLatchIsWrittenWithoutAnAlertField() {
        Latch manual = new Latch("shop", "manual", AT, "http://127.0.0.1:9002", "v1.5.0", new JsonObject());
        assertThat(LatchJson.toJson(manual).fieldNames())
                .containsExactly("route", "reason", "at", "canaryUrl", "canaryVersion", "evidence");
    }

    @Test
    void anAlertThatIsNotAnObjectMakesTheFileCorruptSoTheRouteStaysHeld() throws IOException {
        Files.writeString(dir.resolve("shop.json"), """
                {"route":"shop","reason":"alert:X","at":"2026-11-22T10:15:30.123Z",
                 "canaryUrl":"http://127.0.0.1:9002","canaryVersion":"v1.5.0","alert":"X"}
                """);

        LatchRead read = new LatchStore(dir).read("shop");

        assertThat(read).isInstanceOf(LatchRead.Corrupt.class);
        assertThat(((LatchRead.Corrupt) read).problem()).contains("alert");
    }
}
