package dev.ramp.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.json.JsonObject;

class LatchStoreTest {

    @TempDir
    Path dir;

    private static final Instant AT = Instant.parse("2026-11-22T10:15:30.123Z");

    private static Latch latch(String route, String reason) {
        final JsonObject evidence = new JsonObject()
                .put("stable", new JsonObject().put("requests", 1000).put("errors", 10))
                .put("canary", new JsonObject().put("requests", 1000).put("errors", 200))
                .put("compared", true);
        return new Latch(route, reason, AT, "http://127.0.0.1:9002", "v1.5.0", evidence);
    }

    @Test
    void aWrittenLatchReadsBackEqual() throws IOException {
        final LatchStore store = new LatchStore(dir);
        final Latch latch = latch("shop", "error_rate");

        store.write(latch);

        assertThat(store.read("shop")).isEqualTo(LatchRead.present(latch));
        assertThat(((LatchRead.Present) store.read("shop")).latch().evidence()
                           .getJsonObject("canary").getLong("errors")).isEqualTo(200L);
    }

    @Test
    void replacingALatchLeavesOnlyTheNewFileBehind() throws IOException {
        final LatchStore store = new LatchStore(dir);
        store.write(latch("shop", "error_rate"));
        store.write(latch("shop", "manual"));

        assertThat(store.read("shop")).isEqualTo(LatchRead.present(latch("shop", "manual")));
        assertThat(files()).containsExactly("shop.json");
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsOverwrittenAndIgnored() throws IOException {
        Files.writeString(dir.resolve("shop.json.tmp"), "{\"half\": ");
        final LatchStore store = new LatchStore(dir);

        assertThat(store.read("shop")).isEqualTo(LatchRead.absent());
        store.write(latch("shop", "p99"));

        assertThat(files()).containsExactly("shop.json");
        assertThat(store.read("shop")).isInstanceOf(LatchRead.Present.class);
    }

    @Test
    void noFileIsAbsentAndDeleteMakesItAbsent() throws IOException {
        final LatchStore store = new LatchStore(dir);
        assertThat(store.read("shop")).isEqualTo(LatchRead.absent());

        store.write(latch("shop", "manual"));
        store.delete("shop");
        store.delete("shop");

        assertThat(store.read("shop")).isEqualTo(LatchRead.absent());
        assertThat(files()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"route\": \"shop\", \"reason\": \"error_ra",
            "",
            "   \n",
            "[1, 2, 3]",
            "{}",
            "{\"route\": \"shop\", \"reason\": \"manual\", \"at\": \"yesterday\", \"canaryUrl\": \"u\", "
            + "\"canaryVersion\": \"v\"}",
            "{\"route\": \"shop\", \"reason\": 7, \"at\": \"2026-11-22T10:15:30Z\", \"canaryUrl\": \"u\", "
            + "\"canaryVersion\": \"v\"}",
            "{\"route\": \"other\", \"reason\": \"manual\", \"at\": \"2026-11-22T10:15:30Z\", \"canaryUrl\": \"u\", "
            + "\"canaryVersion\": \"v\"}"})
    void aDamagedLatchIsReportedAsCorruptNotAbsent(String content) throws IOException {
        Files.writeString(dir.resolve("shop.json"), content);

        final LatchRead read = new LatchStore(dir).read("shop");

        assertThat(read).isInstanceOfSatisfying(LatchRead.Corrupt.class,
                                                corrupt -> assertThat(corrupt.problem()).contains("shop.json"));
    }

    @Test
    void anUnreadableLatchIsReportedAsCorrupt() throws IOException {
        Files.createDirectory(dir.resolve("shop.json"));

        assertThat(new LatchStore(dir).read("shop")).isInstanceOf(LatchRead.Corrupt.class);
    }

    @Test
    void invalidUtf8IsReportedAsCorrupt() throws IOException {
        Files.write(dir.resolve("shop.json"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

        assertThat(new LatchStore(dir).read("shop")).isInstanceOf(LatchRead.Corrupt.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", "/etc/passwd", "..\\x", "", "shop json", "shop\u0000", "caf\u00e9"})
    void routeNamesThatCouldLeaveTheStateDirAreRefused(String route) {
        final LatchStore store = new LatchStore(dir.resolve("state"));

        assertThatThrownBy(() -> store.read(route)).isInstanceOf(IllegalArgumentException.class)
                                                   .hasMessageStartingWith("route: ");
        assertThatThrownBy(() -> store.delete(route)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write(latch(route, "manual"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("escape.json")).doesNotExist();
    }

    @Test
    void routeNamesWithDotsDashesAndUnderscoresAreFine() throws IOException {
        final LatchStore store = new LatchStore(dir);
        store.write(latch("api.v2_shop-eu", "manual"));

        assertThat(store.read("api.v2_shop-eu")).isInstanceOf(LatchRead.Present.class);
    }

    @Test
    void aMissingStateDirIsCreated() throws IOException {
        final Path nested = dir.resolve("var/ramp");
        final LatchStore store = new LatchStore(nested);
        assertThat(nested).isDirectory();

        store.write(latch("shop", "manual"));
        assertThat(nested.resolve("shop.json")).isRegularFile();
    }

    @Test
    void theFileIsReadableJsonForOperators() throws IOException {
        final LatchStore store = new LatchStore(dir);
        store.write(latch("shop", "error_rate"));

        final JsonObject json = new JsonObject(Files.readString(dir.resolve("shop.json"), StandardCharsets.UTF_8));
        assertThat(json.getString("reason")).isEqualTo("error_rate");
        assertThat(json.getString("at")).isEqualTo("2026-11-22T10:15:30.123Z");
        assertThat(json.getString("canaryVersion")).isEqualTo("v1.5.0");
        assertThat(json.getJsonObject("evidence").getJsonObject("stable").getLong("requests")).isEqualTo(1000);
    }

    @Test
    void aLatchCannotBeChangedThroughItsEvidence() {
        final JsonObject evidence = new JsonObject().put("requests", 5);
        final Latch latch = new Latch("shop", "manual", AT, "u", "v", evidence);
        evidence.put("requests", 6);
        latch.evidence().put("requests", 7);

        assertThat(latch.evidence().getInteger("requests")).isEqualTo(5);
        assertThat(new Latch("shop", "manual", AT, "u", "v", null).evidence()).isEqualTo(new JsonObject());
        assertThat(LatchJson.fromJson(LatchJson.toJson(latch))).isEqualTo(latch);
    }

    /** A latch file exactly as earlier versions wrote it, evidence and all, still holds its route. */
    @Test
    void aLatchFileInTheEstablishedFormatStillLoads() throws IOException {
        Files.writeString(dir.resolve("shop.json"), """
                {
                  "route" : "shop",
                  "reason" : "error_rate_increase",
                  "at" : "2026-11-20T08:01:02.345Z",
                  "canaryUrl" : "http://10.0.0.7:8080",
                  "canaryVersion" : "v1.5.0",
                  "evidence" : {
                    "stable" : {
                      "requests" : 1200,
                      "errorRate" : 0.004167,
                      "p50Ms" : 11.2,
                      "p95Ms" : 30.1,
                      "p99Ms" : 41.5,
                      "errors" : 5
                    },
                    "canary" : {
                      "requests" : 400,
                      "errorRate" : 0.0925,
                      "p50Ms" : 12.0,
                      "p95Ms" : 33.3,
                      "p99Ms" : 48.0,
                      "errors" : 37
                    },
                    "compared" : true,
                    "pValues" : {
                      "error_rate" : 1.2E-9,
                      "error_rate_increase" : 3.4E-21,
                      "p99" : null,
                      "latency_increase" : null
                    }
                  }
                }""", StandardCharsets.UTF_8);

        final LatchRead read = new LatchStore(dir).read("shop");

        assertThat(read).isInstanceOfSatisfying(LatchRead.Present.class, present -> {
            final Latch latch = present.latch();
            assertThat(latch.reason()).isEqualTo("error_rate_increase");
            assertThat(latch.at()).isEqualTo(Instant.parse("2026-11-20T08:01:02.345Z"));
            assertThat(latch.canaryUrl()).isEqualTo("http://10.0.0.7:8080");
            assertThat(latch.canaryVersion()).isEqualTo("v1.5.0");
            assertThat(latch.evidence().getJsonObject("canary").getLong("errors")).isEqualTo(37);
            assertThat(latch.evidence().getJsonObject("pValues").getDouble("error_rate_increase")).isEqualTo(3.4e-21);
        });
    }

    /** What is written is what earlier versions wrote: the same fields in the same order, pretty-printed. */
    @Test
    void theWrittenFileKeepsTheEstablishedLayout() throws IOException {
        final LatchStore store = new LatchStore(dir);
        store.write(new Latch("shop", "manual", AT, "http://127.0.0.1:9002", "v1.5.0", null));

        assertThat(Files.readString(dir.resolve("shop.json"), StandardCharsets.UTF_8)).isEqualToNormalizingNewlines("""
                {
                  "route" : "shop",
                  "reason" : "manual",
                  "at" : "2026-11-22T10:15:30.123Z",
                  "canaryUrl" : "http://127.0.0.1:9002",
                  "canaryVersion" : "v1.5.0",
                  "evidence" : { }
                }""");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aLinkPlantedAtTheTemporaryNameIsNeverFollowed(@TempDir Path outside) throws IOException {
        Path victim = Files.writeString(outside.resolve("victim.txt"), "precious");
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("shop.json.tmp"), victim);
        LatchStore store = new LatchStore(state);

        store.write(latch("shop", "manual"));

        assertThat(Files.readString(victim)).as("the link's target is untouched").isEqualTo("precious");
        assertThat(store.read("shop")).isInstanceOf(LatchRead.Present.class);
        assertThat(Files.isSymbolicLink(state.resolve("shop.json"))).isFalse();
    }
}
