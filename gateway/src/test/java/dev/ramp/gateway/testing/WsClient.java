package dev.ramp.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The JDK's WebSocket client with what a test needs: text messages queued whole, binary data counted and
 * checksummed, and the close (or failure) of the connection as a future. With {@code manualDemand} it reads
 * nothing until {@link #demand} is called, so a test can hold the receiving side back.
 */
public final class WsClient implements WebSocket.Listener {
    public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    /** Completes when the connection ends: the close code, or -1 when it failed or was cut. */
    public final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final CRC32 binaryCrc = new CRC32();
    private volatile long binaryBytes;
    private final boolean manualDemand;
    public WebSocket socket;

    private WsClient(boolean manualDemand) {
        this.manualDemand = manualDemand;
    }

    /** Opens {@code uri} with the given header name/value pairs; fails with the handshake's error. */
    public static WsClient open(URI uri, boolean manualDemand, String... headers) {
        WsClient c = new WsClient(manualDemand);
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        c.socket = b.buildAsync(uri, c).orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    @Override
    public void onOpen(WebSocket ws) {
        if (!manualDemand) {
            ws.request(1);
        }
    }

    /** Lets {@code n} more messages be delivered. */
    public void demand(long n) {
        socket.request(n);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        if (!manualDemand) {
            ws.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        int n = data.remaining();
        synchronized (binaryCrc) {
            binaryCrc.update(data);
        }
        binaryBytes += n;
        if (!manualDemand) {
            ws.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        ended.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        ended.complete(-1);
    }

    public long binaryBytes() {
        return binaryBytes;
    }

    public long binaryCrc() {
        synchronized (binaryCrc) {
            return binaryCrc.getValue();
        }
    }

    /** Sends a text message and waits until it was written. */
    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next whole text message, or fails after a few seconds. */
    public String next() throws InterruptedException {
        String m = texts.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    /** Calls {@code each} for every piece sent, in order ({@link TestUpstream#byteAt} content). */
    public static void pieces(long total, int size, Consumer<ByteBuffer> each) {
        for (long off = 0; off < total; off += size) {
            int n = (int) Math.min(size, total - off);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = TestUpstream.byteAt(off + i);
            }
            each.accept(ByteBuffer.wrap(b));
        }
    }
}
