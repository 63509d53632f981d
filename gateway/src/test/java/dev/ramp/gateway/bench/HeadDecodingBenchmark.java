package dev.ramp.gateway.bench;

import dev.ramp.gateway.proxy.http1.ClientCodec;
import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.proxy.http1.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a request head costs the data path before it is forwarded: decoding plus the hop-by-hop strip. A
 * {@code normal} head (a browser's ~10 headers) against a {@code hostile} one that fills the 16 KB header
 * section with ~300 short headers and a Connection value listing ~1 000 names, the shape that cost ~60x a
 * normal head while each header was checked by scanning the whole Connection value. Run with
 * {@code bash loadtests/bench/jmh.sh HeadDecoding}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadDecodingBenchmark {

    @Param({"normal", "hostile"})
    public String head;

    private ByteBuf bytes;
    private EmbeddedChannel channel;

    @Setup
    public void setup() {
        StringBuilder s = new StringBuilder("GET /api/items?page=2 HTTP/1.1\r\nHost: shop.example.com\r\n");
        if (head.equals("normal")) {
            s.append("User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0\r\n")
                    .append("Accept: text/html,application/xhtml+xml\r\nAccept-Language: en-GB,en;q=0.5\r\n")
                    .append("Accept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n")
                    .append("Cookie: ramp_shop=42; session=abcdef0123456789\r\nX-User-Id: alice\r\n")
                    .append("Upgrade-Insecure-Requests: 1\r\nCache-Control: max-age=0\r\n");
        } else {
            StringBuilder connection = new StringBuilder("Connection: keep-alive");
            for (int i = 0; i < 1000; i++) {
                connection.append(", x").append(i);
            }
            s.append(connection).append("\r\n");
            for (int i = 0; i < 300; i++) {
                s.append("h").append(i).append(": v\r\n");
            }
        }
        s.append("\r\n");
        bytes = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        channel = new EmbeddedChannel(new ClientCodec.Decoder());
    }

    @TearDown
    public void tearDown() {
        bytes.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int decodeOnly() {
        return decode(false);
    }

    @Benchmark
    public int decodeAndStrip() {
        return decode(true);
    }

    /** Decodes the head; returns its header count (after the strip, if {@code strip}). */
    private int decode(boolean strip) {
        channel.writeInbound(bytes.retainedDuplicate());
        Object m;
        int size = 0;
        while ((m = channel.readInbound()) != null) {
            if (m instanceof HttpRequest r) {
                if (strip) {
                    Headers.stripHopByHop((FlatHeaders) r.headers());
                }
                size = r.headers().size();
            }
            ReferenceCountUtil.release(m);
        }
        return size;
    }
}
