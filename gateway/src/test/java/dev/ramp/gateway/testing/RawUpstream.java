package dev.ramp.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a raw socket (port 0, loopback), for upstreams that misbehave in ways an HTTP library will not:
 * each accepted connection is handed to the test's {@link Connection}, on its own thread, and counted.
 */
public final class RawUpstream implements AutoCloseable {
    /** What the upstream does with one accepted connection. */
    @FunctionalInterface
    public interface Connection {
        void serve(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();

    private RawUpstream(Connection connection) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!server.isClosed()) {
                Socket s = server.accept();
                connections.incrementAndGet();
                threads.submit(() -> {
                    try (s) {
                        connection.serve(s);
                    }
                    return null;
                });
            }
            return null;
        });
    }

    public static RawUpstream start(Connection connection) throws IOException {
        return new RawUpstream(connection);
    }

    /** An upstream that answers every request head on every connection with {@code answer}. */
    public static RawUpstream answering(String answer) throws IOException {
        return start(s -> {
            while (readHead(s.getInputStream()) != null) {
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Reads one request head (through its blank line); null when the connection ends first. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            if (b.size() >= 4 && b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
