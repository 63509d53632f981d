package dev.ramp.gateway.proxy;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;

/**
 * Decodes an upstream connection's responses: Netty's response decoder with the two things its
 * {@code HttpClientCodec} adds that the gateway needs, done without a queue of request methods.
 *
 * <ul>
 *   <li>A response to HEAD has no body whatever its headers say: the connection's current exchange knows
 *       its method (one exchange per connection at a time, no pipelining).</li>
 *   <li>Header names upstreams commonly send are the shared constants when they arrive spelled exactly so,
 *       instead of a new name and byte array per header per response; other spellings are kept as sent.</li>
 * </ul>
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {

    /** Names seen on most responses, with the capitalisation servers send. */
    private static final AsciiString[][] COMMON = ClientCodec.byLength(
        AsciiString.cached("Server"), AsciiString.cached("Date"), AsciiString.cached("Content-Type"),
        AsciiString.cached("Content-Length"), AsciiString.cached("Connection"), AsciiString.cached("Keep-Alive"),
        AsciiString.cached("Transfer-Encoding"), AsciiString.cached("Cache-Control"),
        AsciiString.cached("Set-Cookie"), AsciiString.cached("Vary"), AsciiString.cached("ETag"),
        AsciiString.cached("Last-Modified"), AsciiString.cached("Location"), AsciiString.cached("Content-Encoding"),
        AsciiString.cached("content-type"), AsciiString.cached("content-length"), AsciiString.cached("date"),
        AsciiString.cached("server"), AsciiString.cached("connection"), AsciiString.cached("transfer-encoding"),
        AsciiString.cached("vary"), AsciiString.cached("cache-control"), AsciiString.cached("set-cookie"));

    private final NettyUpstream upstream;

    UpstreamResponseDecoder(HttpDecoderConfig config, NettyUpstream upstream) {
        super(config);
        this.upstream = upstream;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        NettyExchange e = upstream.exchange;
        if (e != null && e.isHead()) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        AsciiString name = ClientCodec.common(COMMON, sb, start, length);
        return name != null ? name : super.splitHeaderName(sb, start, length);
    }
}
