package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;

/**
 * The parts of a request's target that routing reads: the host of the Host header and the path of the
 * request target (origin form or absolute form, RFC 9112 section 3.2), without the query.
 */
public final class RequestTarget {
    private RequestTarget() {}

    /** The host of a Host header value, without its port; an IPv6 literal keeps its brackets. Null for null. */
    public static String host(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        if (!hostHeader.isEmpty() && hostHeader.charAt(0) == '[') {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    /** The path of a request target (origin or absolute form), without the query; null when there is none. */
    public static String path(String uri) {
        int start = 0;
        if (uri.isEmpty()) {
            return null;
        }
        if (uri.charAt(0) != '/') {
            int scheme = uri.indexOf("://");
            if (scheme < 0) {
                return null;
            }
            start = uri.indexOf('/', scheme + 3);
            if (start < 0) {
                return "/";
            }
        }
        int q = uri.indexOf('?', start);
        if (q < 0) {
            return start == 0 ? uri : uri.substring(start);
        }
        return uri.substring(start, q);
    }

    /**
     * The first value of query parameter {@code name} in {@code uri}, or null. Pairs are separated by {@code &};
     * a name or value with {@code %} or {@code +} is percent-decoded (as the admin API's parameters are), which
     * makes a {@code String}; otherwise the value is a view ({@code out} re-pointed). A name without {@code =}
     * has the empty value.
     */
    public static CharSequence query(String uri, String name, CharSlice out) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int n = uri.length();
        int i = q + 1;
        while (i <= n) {
            int end = uri.indexOf('&', i);
            if (end < 0) {
                end = n;
            }
            int eq = i;
            while (eq < end && uri.charAt(eq) != '=') {
                eq++;
            }
            if (nameIs(uri, i, eq, name)) {
                int vs = Math.min(eq + 1, end);
                return encoded(uri, vs, end) ? decode(uri.substring(vs, end)) : out.set(uri, vs, end);
            }
            i = end + 1;
        }
        return null;
    }

    private static boolean nameIs(String uri, int start, int end, String name) {
        if (end - start < name.length()) {
            return false; // decoding never lengthens a name
        }
        if (encoded(uri, start, end)) {
            return decode(uri.substring(start, end)).equals(name);
        }
        return end - start == name.length() && uri.regionMatches(start, name, 0, name.length());
    }

    /** Percent-decoded, {@code +} as a space; a broken escape ({@code %}, {@code %zz}) leaves the text as sent. */
    private static String decode(String s) {
        try {
            return QueryStringDecoder.decodeComponent(s);
        } catch (IllegalArgumentException e) {
            return s; // a client's malformed target must not fail its request: it just matches nothing decoded
        }
    }

    private static boolean encoded(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                return true;
            }
        }
        return false;
    }

    /**
     * Rewrites an absolute-form target ({@code http://host/path?q}) to the origin form upstreams expect
     * ({@code /path?q}), RFC 9112 3.2.2. Returns null when done (or nothing to do), or the 400 message when the
     * target's authority is not the Host header's: routing and the upstream must not disagree about the host.
     */
    public static String toOriginForm(HttpRequest req, CharSequence hostHeader) {
        String uri = req.uri();
        if (uri.isEmpty() || uri.charAt(0) == '/') {
            return null;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        String authority = uri.substring(start, end);
        if (hostHeader != null && !AsciiString.contentEqualsIgnoreCase(authority, hostHeader)) {
            return "request target authority \"" + authority + "\" differs from Host \"" + hostHeader + "\"";
        }
        String rest = uri.substring(end);
        req.setUri(rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest);
        return null;
    }

    /**
     * One connection's last Host header and its host part. A keep-alive client sends the same Host on every
     * request, so the host is cut out once per connection rather than once per request.
     */
    public static final class HostCache {
        private String value;
        private String host;

        /** {@link RequestTarget#host} of {@code hostValue}; null for null. */
        public String host(CharSequence hostValue) {
            if (hostValue == null) {
                return null;
            }
            String raw = value;
            if (raw != null && AsciiString.contentEquals(raw, hostValue)) {
                return host;
            }
            raw = hostValue.toString();
            value = raw;
            return host = RequestTarget.host(raw);
        }
    }
}
