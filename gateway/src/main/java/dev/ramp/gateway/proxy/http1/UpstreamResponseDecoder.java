package dev.ramp.gateway.proxy.http1;

import io.netty.util.AsciiString;
import java.util.function.BooleanSupplier;

/**
 * Decodes an upstream connection's responses ({@link Http1Decoder}), with the one thing Netty's
 * {@code HttpClientCodec} adds that the gateway needs, done without a queue of request methods: a response to
 * HEAD has no body whatever its headers say. The connection's current exchange knows its method (one exchange
 * per connection at a time, no pipelining). Header names upstreams commonly send are shared constants when
 * they arrive spelled exactly so.
 */
public final class UpstreamResponseDecoder extends Http1Decoder {

    /** Names seen on most responses, with the capitalisation servers send. */
    private static final AsciiString[][] COMMON = CommonNames.byLength(
        AsciiString.cached("Server"), AsciiString.cached("Date"), AsciiString.cached("Content-Type"),
        AsciiString.cached("Content-Length"), AsciiString.cached("Connection"), AsciiString.cached("Keep-Alive"),
        AsciiString.cached("Transfer-Encoding"), AsciiString.cached("Cache-Control"),
        AsciiString.cached("Set-Cookie"), AsciiString.cached("Vary"), AsciiString.cached("ETag"),
        AsciiString.cached("Last-Modified"), AsciiString.cached("Location"), AsciiString.cached("Content-Encoding"),
        AsciiString.cached("content-type"), AsciiString.cached("content-length"), AsciiString.cached("date"),
        AsciiString.cached("server"), AsciiString.cached("connection"), AsciiString.cached("transfer-encoding"),
        AsciiString.cached("vary"), AsciiString.cached("cache-control"), AsciiString.cached("set-cookie"));

    private final BooleanSupplier headPending;

    /** {@code headPending}: whether the response now arriving answers a HEAD request. */
    public UpstreamResponseDecoder(BooleanSupplier headPending) {
        super(false, COMMON);
        this.headPending = headPending;
    }

    @Override
    protected boolean answersHead() {
        return headPending.getAsBoolean();
    }

    /**
     * Whether bytes the upstream sent are held here, not yet part of any message: after a complete response
     * that means the upstream sent more than it was asked for, and its connection must not be reused.
     */
    public boolean holdsBytes() {
        return internalBuffer().isReadable();
    }
}
