package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Header copying between client and upstream without hop-by-hop headers (RFC 9110 7.6.1). */
public final class Headers {

    private static final Set<String> HOP_BY_HOP = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        HOP_BY_HOP.addAll(Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"));
    }

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private Headers() {}

    /**
     * Removes, in place and in one pass, the hop-by-hop headers and the tokens the Connection header lists:
     * the Netty engine forwards the message it received instead of copying its headers, and its decoders
     * give every message {@link FlatHeaders}.
     */
    public static void stripHopByHop(FlatHeaders h) {
        CharSequence connection = h.firstValue(HttpHeaderNames.CONNECTION);
        if (connection == null || AsciiString.contentEqualsIgnoreCase(connection, HttpHeaderValues.KEEP_ALIVE)
                || AsciiString.contentEqualsIgnoreCase(connection, HttpHeaderValues.CLOSE)) {
            h.removeAll(Headers::isHopByHop);
        } else {
            h.removeAll(name -> isHopByHop(name) || HeaderValues.hasElement(connection, name, true));
        }
    }

    /** Whether {@code name} is one of {@link #HOP_BY_HOP} (case-insensitive), told apart by length first. */
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
     * Whether a message keeps its connection open, from one look-up of its Connection header (Netty's
     * HttpUtil.isKeepAlive scans every value with an iterator and a list per call).
     */
    public static boolean keepAlive(io.netty.handler.codec.http.HttpMessage m) {
        CharSequence connection = m.headers() instanceof FlatHeaders f ? f.firstValue(HttpHeaderNames.CONNECTION)
                : m.headers().get(HttpHeaderNames.CONNECTION);
        if (m.protocolVersion().isKeepAliveDefault()) {
            return connection == null || !HeaderValues.hasElement(connection, HttpHeaderValues.CLOSE, true);
        }
        return connection != null && HeaderValues.hasElement(connection, HttpHeaderValues.KEEP_ALIVE, true);
    }

    /**
     * Copies {@code from} into {@code to} minus hop-by-hop headers, the tokens the Connection header
     * lists, and the {@code extraSkip} names (case-insensitive).
     */
    static void copyEndToEnd(MultiMap from, MultiMap to, String... extraSkip) {
        String connection = from.get("connection");
        for (Map.Entry<String, String> h : from) {
            String name = h.getKey();
            if (HOP_BY_HOP.contains(name) || listedIn(connection, name) || skipped(name, extraSkip)) {
                continue;
            }
            to.add(name, h.getValue());
        }
    }

    private static boolean skipped(String name, String[] extraSkip) {
        for (String s : extraSkip) {
            if (s.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} is one of the comma-separated tokens of a Connection header value. */
    static boolean listedIn(String connection, String name) {
        return connection != null && HeaderValues.hasElement(connection, name, true);
    }
}
