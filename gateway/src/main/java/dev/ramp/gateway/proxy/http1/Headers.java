package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;

/** A forwarded message's headers without the hop-by-hop ones (RFC 9110 7.6.1), and its keep-alive. */
public final class Headers {

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private Headers() {}

    /**
     * Removes, in place and in one pass, the hop-by-hop headers and the names every Connection header lists
     * (parsed once, {@link ConnectionTokens}): the Netty engine forwards the message it received instead of
     * copying its headers, and its decoders give every message {@link FlatHeaders}.
     */
    public static void stripHopByHop(FlatHeaders h) {
        ConnectionTokens listed = ConnectionTokens.of(h);
        if (listed.isEmpty()) {
            h.removeAll(Headers::isHopByHop);
        } else {
            h.removeAll(name -> isHopByHop(name) || listed.contains(name));
        }
    }

    /** Whether {@code name} is one of the hop-by-hop names of RFC 9110 7.6.1 (any case), told apart by length. */
    static boolean isHopByHop(CharSequence name) {
        switch (name.length()) {
            case 2: return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE);
            case 7: return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRAILER)
                    || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE);
            case 10: return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
                    || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.KEEP_ALIVE);
            case 16: return AsciiString.contentEqualsIgnoreCase(name, PROXY_CONNECTION);
            case 17: return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING);
            case 18: return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_AUTHENTICATE);
            case 19: return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_AUTHORIZATION);
            default: return false;
        }
    }

    /**
     * Whether a message keeps its connection open, by every Connection header it has ({@link FlatHeaders}
     * scans them without the iterator and list per call of Netty's HttpUtil.isKeepAlive).
     */
    public static boolean keepAlive(io.netty.handler.codec.http.HttpMessage m) {
        io.netty.handler.codec.http.HttpHeaders h = m.headers();
        if (m.protocolVersion().isKeepAliveDefault()) {
            return !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        }
        return h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true);
    }
}
