package dev.ramp.gateway.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.proxy.AccessLog;
import dev.ramp.gateway.routing.Version;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log's writer against real files: its lines, its bounded queue, and log rotation. */
class AccessLogWriterTest {
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-a1b2c3d4e5f60718-01";
    @TempDir
    Path dir;

    static AccessLog.Entry entry(String path) {
        return new AccessLog.Entry(1_764_000_000_123L, "10.1.2.3", "GET", path, 200, "shop", Version.CANARY,
                "v1.5.0", 12_345_678, 11_000_000, true, TRACEPARENT, 4096);
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void eachRequestIsOneJsonLineWithEveryFieldInOrder() throws Exception {
        Path file = dir.resolve("access.log");
        try (AccessLogWriter w = AccessLogWriter.start(file, 16, Duration.ofSeconds(1))) {
            w.log(entry("/cart"));
            w.log(new AccessLog.Entry(1_764_000_000_000L, "::1", "POST", "/x", 404, null, null, null, 0, -1, false,
                    null, 0));
            await().until(() -> lines(file).size() == 2);
        }
        List<String> lines = lines(file);
        JsonObject a = new JsonObject(lines.get(0));
        assertThat(a.fieldNames()).containsExactly("time", "client", "method", "path", "status", "route", "role",
                "version", "durationMs", "upstreamMs", "fallback", "traceId", "bytesOut");
        assertThat(a.getString("time")).isEqualTo("2025-11-24T16:00:00.123Z");
        assertThat(a.getString("client")).isEqualTo("10.1.2.3");
        assertThat(a.getString("method")).isEqualTo("GET");
        assertThat(a.getString("path")).isEqualTo("/cart");
        assertThat(a.getInteger("status")).isEqualTo(200);
        assertThat(a.getString("route")).isEqualTo("shop");
        assertThat(a.getString("role")).isEqualTo("canary");
        assertThat(a.getString("version")).isEqualTo("v1.5.0");
        assertThat(a.getDouble("durationMs")).isEqualTo(12.345);
        assertThat(a.getDouble("upstreamMs")).isEqualTo(11.0);
        assertThat(a.getBoolean("fallback")).isTrue();
        assertThat(a.getString("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(a.getLong("bytesOut")).isEqualTo(4096);
        JsonObject b = new JsonObject(lines.get(1));
        assertThat(b.getValue("route")).isNull();
        assertThat(b.getValue("role")).isNull();
        assertThat(b.getValue("upstreamMs")).isNull();
        assertThat(b.getValue("traceId")).isNull();
        assertThat(b.getDouble("durationMs")).isEqualTo(0.0);
    }

    @Test
    void hostilePathsStayInsideTheirJsonString() throws Exception {
        Path file = dir.resolve("access.log");
        String hostile = "/a\"b\\c\n{\"status\":500}\r\t\u0000\u001f\u007f\u2028é😀\ud800x";
        try (AccessLogWriter w = AccessLogWriter.start(file, 16, Duration.ofSeconds(1))) {
            w.log(entry(hostile));
            await().until(() -> !lines(file).isEmpty());
        }
        List<String> lines = lines(file);
        assertThat(lines).hasSize(1); // the newline in the path did not split the line
        JsonObject j = new JsonObject(lines.get(0));
        // Everything but the lone surrogate (not encodable) comes back as sent; that one is escaped as \ud800.
        assertThat(j.getString("path")).isEqualTo(hostile);
        assertThat(j.getInteger("status")).isEqualTo(200);
        assertThat(lines.get(0)).contains("\\u2028").contains("\\u0000").contains("\\ud800").doesNotContain("\u2028");
    }

    @Test
    void aFullQueueDropsAndCountsLinesAndNeverBlocks() throws Exception {
        Path file = dir.resolve("access.log");
        AccessLogWriter w = AccessLogWriter.unstarted(file, 2, Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            w.log(entry("/" + i)); // the writer is not running: two fit, three are dropped, none waits
        }
        assertThat(w.dropped()).isEqualTo(3);
        w.startWriting();
        await().until(() -> lines(file).size() == 2);
        w.close();
        assertThat(lines(file)).extracting(l -> new JsonObject(l).getString("path")).containsExactly("/0", "/1");
        assertThat(w.dropped()).isEqualTo(3);
    }

    @Test
    void aRenamedFileIsNoticedAndANewOneStarted() throws Exception {
        Path file = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        try (AccessLogWriter w = AccessLogWriter.start(file, 16, Duration.ofMillis(50))) {
            w.log(entry("/before"));
            await().until(() -> lines(file).size() == 1);
            Files.move(file, rotated);
            await().until(() -> Files.exists(file)); // reopened at the configured path
            w.log(entry("/after"));
            await().until(() -> lines(file).size() == 1);
        }
        assertThat(lines(rotated)).extracting(l -> new JsonObject(l).getString("path")).containsExactly("/before");
        assertThat(lines(file)).extracting(l -> new JsonObject(l).getString("path")).containsExactly("/after");
    }

    @Test
    void reopenAsksForANewFileWithoutWaitingForTheCheck() throws Exception {
        Path file = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        try (AccessLogWriter w = AccessLogWriter.start(file, 16, Duration.ofHours(1))) {
            w.log(entry("/before"));
            await().until(() -> lines(file).size() == 1);
            Files.move(file, rotated);
            w.log(entry("/still-old")); // no check for an hour: this one goes to the renamed file
            await().until(() -> lines(rotated).size() == 2);
            assertThat(file).doesNotExist();
            w.reopen(); // what SIGUSR1 does
            await().until(() -> Files.exists(file));
            w.log(entry("/new"));
            await().until(() -> lines(file).size() == 1);
        }
        assertThat(lines(file)).extracting(l -> new JsonObject(l).getString("path")).containsExactly("/new");
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheStart() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> AccessLogWriter.start(notADir.resolve("access.log"), 16, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class);
    }
}
