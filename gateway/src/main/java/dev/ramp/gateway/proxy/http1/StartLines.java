package dev.ramp.gateway.proxy.http1;

import static dev.ramp.gateway.proxy.http1.Lines.TCHAR;
import static dev.ramp.gateway.proxy.http1.Lines.indexOf;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The first line of a message for {@link Http1Decoder} (RFC 9112 3 and 4): a request line or a status line.
 * Only HTTP/1.0 and HTTP/1.1 are accepted; the common methods, versions and statuses are Netty's shared
 * constants, so a usual request line costs the target's {@code String} and nothing else. Stateless.
 */
final class StartLines {
    private StartLines() {}

    /**
     * Rejects at its first byte a request that cannot be HTTP (a method is a token), rather than wait for a line
     * end that a TLS handshake or a binary protocol may never send: such clients get a fast 400, not the idle
     * timeout.
     */
    static void requestStart(byte first) {
        if (TCHAR[first & 0xff]) {
            return;
        }
        if (first == 0x16) {
            throw new BadMessage("a TLS handshake on a plain HTTP listener (this port speaks HTTP/1.1 without TLS)");
        }
        throw new BadMessage(String.format("not HTTP: a request cannot start with byte 0x%02x", first & 0xff));
    }

    /**
     * The request line {@code h[0, lineEnd)}: {@code method SP request-target SP HTTP-version}, with
     * {@code headers}; a {@code whole} request (no body) is a full request with empty content.
     */
    static HttpRequest request(byte[] h, int lineEnd, FlatHeaders headers, boolean whole) {
        int sp1 = indexOf(h, ' ', 0, lineEnd);
        int sp2 = sp1 < 0 ? -1 : indexOf(h, ' ', sp1 + 1, lineEnd);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOf(h, ' ', sp2 + 1, lineEnd) >= 0) {
            throw new BadMessage("request line is not 'METHOD target HTTP/1.x'");
        }
        HttpMethod method = method(h, sp1);
        for (int i = sp1 + 1; i < sp2; i++) {
            if (h[i] == '\t') {
                throw new BadMessage("tab in request target");
            }
        }
        // UTF-8, because Netty's request encoder writes the target as UTF-8: raw UTF-8 bytes a client sent (not
        // valid in a target, but sent) then reach the upstream as they came instead of double-encoded.
        String uri = new String(h, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.UTF_8);
        HttpVersion version = version(h, sp2 + 1, lineEnd - sp2 - 1);
        return whole ? new DefaultFullHttpRequest(version, method, uri, Unpooled.EMPTY_BUFFER, headers,
                EmptyHttpHeaders.INSTANCE) : new DefaultHttpRequest(version, method, uri, headers);
    }

    private static HttpMethod method(byte[] h, int length) {
        for (int i = 0; i < length; i++) {
            if (!TCHAR[h[i] & 0xff]) {
                throw new BadMessage("invalid character in method");
            }
        }
        switch (length) {
            case 3:
                if (h[0] == 'G' && h[1] == 'E' && h[2] == 'T') {
                    return HttpMethod.GET;
                }
                if (h[0] == 'P' && h[1] == 'U' && h[2] == 'T') {
                    return HttpMethod.PUT;
                }
                break;
            case 4:
                if (h[0] == 'P' && h[1] == 'O' && h[2] == 'S' && h[3] == 'T') {
                    return HttpMethod.POST;
                }
                if (h[0] == 'H' && h[1] == 'E' && h[2] == 'A' && h[3] == 'D') {
                    return HttpMethod.HEAD;
                }
                break;
            default:
                break;
        }
        return HttpMethod.valueOf(new String(h, 0, length, StandardCharsets.ISO_8859_1));
    }

    static HttpVersion version(byte[] h, int start, int length) {
        if (length == 8 && h[start] == 'H' && h[start + 1] == 'T' && h[start + 2] == 'T' && h[start + 3] == 'P'
                && h[start + 4] == '/' && h[start + 5] == '1' && h[start + 6] == '.') {
            if (h[start + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (h[start + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        throw new BadMessage("unsupported HTTP version '"
                + new String(h, start, Math.min(length, 16), StandardCharsets.ISO_8859_1) + "' (HTTP/1.0 and HTTP/1.1 only)");
    }

    /** The status line {@code h[0, lineEnd)}: {@code HTTP-version SP 3DIGIT SP [reason]}. */
    static HttpResponseStatus status(byte[] h, int lineEnd) {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (lineEnd < 12 || h[8] != ' ' || lineEnd > 12 && h[12] != ' ') {
            throw new BadMessage("status line is not 'HTTP/1.x code reason'");
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 9) {
                throw new BadMessage("status code is not three digits");
            }
            code = code * 10 + d;
        }
        if (code < 100) {
            throw new BadMessage("status code " + code + " below 100");
        }
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        int rs = Math.min(13, lineEnd);
        String phrase = known.reasonPhrase();
        int n = lineEnd - rs;
        if (n == 0) {
            return known; // no reason phrase: the standard one
        }
        if (n == phrase.length()) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = h[rs + i] == phrase.charAt(i);
            }
            if (same) {
                return known;
            }
        }
        return new HttpResponseStatus(code, new String(h, rs, n, StandardCharsets.ISO_8859_1));
    }
}
