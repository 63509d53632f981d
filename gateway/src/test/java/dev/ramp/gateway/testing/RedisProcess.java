package dev.ramp.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code redis-server} (Debian's, {@code /usr/bin/redis-server}) on a free loopback port, started by
 * the test; tests that need it are skipped when it is not installed ({@code .ci/run} installs it). It can
 * be killed (SIGKILL, as a crash) and started again on the same port, empty or, with {@code persistent},
 * with what it had written to its append-only file.
 */
public final class RedisProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private final Path dir;
    private final boolean persistent;
    private Process process;

    private RedisProcess(int port, Path dir, boolean persistent) {
        this.port = port;
        this.dir = dir;
        this.persistent = persistent;
    }

    /** Skips the calling test (JUnit assumption) when redis-server is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "redis-server not installed at " + BINARY);
    }

    /** An empty Redis without persistence: a restart comes back empty. */
    public static RedisProcess start(Path dir) {
        return start(dir, false);
    }

    /** With {@code persistent}, every write is fsynced to an append-only file and survives a kill. */
    public static RedisProcess start(Path dir, boolean persistent) {
        assumeInstalled();
        RedisProcess r = new RedisProcess(freePort(), dir, persistent);
        r.restart();
        return r;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same port) and returns once it answers PING. */
    public void restart() {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--save", "", "--dir", dir.toString(), "--daemonize", "no"));
        if (persistent) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> command("PING").contains("PONG"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("redis-server did not answer on port " + port + "; see "
                                     + dir.resolve("redis.log"), e);
        }
    }

    /** SIGKILL: connections drop as in a crash. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One command in the inline protocol; the raw reply (RESP). */
    public String command(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
