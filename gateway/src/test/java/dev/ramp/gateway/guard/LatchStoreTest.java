package dev.ramp.gateway.guard;

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
        final Verdict verdict = Judge.evaluate(JudgeTest.window(1_000, 10, i -> 20),
                                               JudgeTest.window(1_000, 200, i -> 20),
                                               GuardThresholds.defaults());
        return new Latch(route, reason, AT, "http://127.0.0.1:9002", "v1.5.0", verdict.evidence().toJson());
    }

    @Test
    void aWrittenLatchReadsBackEqual() throws IOException {
        final LatchStore store = new LatchStore(dir);
        final Latch latch = latch("shop", "error_rate");

        store.write(latch);

        assertThat(store.read("shop")).isEqualTo(LatchRead.present(latch));
        assertThat(((LatchRead.Present) store.read("shop")).latch().evidence()
                           .getJsonObject("canary").getLong("errors")).isEqualTo(200);
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
        assertThat(Latch.fromJson(latch.toJson())).isEqualTo(latch);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
