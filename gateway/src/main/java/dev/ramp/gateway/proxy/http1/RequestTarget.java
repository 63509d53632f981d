package dev.ramp.gateway.proxy.http1;

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
}
