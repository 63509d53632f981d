package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * What a head's Content-Length and Transfer-Encoding headers say about its body (RFC 9112 6): the framing
 * rules of {@link Http1Decoder}. One per decoder, {@link #reset} before each head, so reading a head allocates
 * nothing here. See docs/design/http1.md for what is accepted and why.
 */
final class Framing {
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    static final AsciiString TRAILER = AsciiString.cached("trailer");
    static final AsciiString CHUNKED = AsciiString.cached("chunked");
    static final AsciiString HOST = AsciiString.cached("host");

    /** The body length, or -1 when there was no Content-Length. */
    long length = -1;
    /** Whether there was a Content-Length, even one Transfer-Encoding overrides. */
    boolean sawLength;
    /** Several Content-Length values (all equal): one is kept. */
    boolean duplicateLength;
    /** A Content-Length written other than as its plain number (leading zeros): relayed as the number. */
    boolean nonCanonicalLength;
    boolean transferEncoding;
    /** Whether the last transfer coding is chunked. */
    boolean chunked;
    /** How many transfer codings the Transfer-Encoding headers list. */
    int codings;
    /** How many Host headers (RFC 9112 3.2: exactly one on a request), and the first one that is not an authority. */
    int hosts;
    AsciiString badHost;

    void reset() {
        length = -1;
        sawLength = false;
        duplicateLength = false;
        nonCanonicalLength = false;
        transferEncoding = false;
        chunked = false;
        codings = 0;
        hosts = 0;
        badHost = null;
    }

    static boolean is(AsciiString name, AsciiString lower) {
        return name.length() == lower.length() && name.contentEqualsIgnoreCase(lower);
    }

    void note(AsciiString name, AsciiString value) {
        int n = name.length();
        if (n == 4 && is(name, HOST)) {
            hosts++;
            if (badHost == null && !authority(value)) {
                badHost = value;
            }
        } else if (n == 14 && is(name, CONTENT_LENGTH)) {
            contentLength(value);
        } else if (n == 17 && is(name, TRANSFER_ENCODING)) {
            transferEncoding = true;
            for (int i = 0; i < value.length(); i++) {
                if (value.byteAt(i) == ',') {
                    codings++;
                }
            }
            codings++;
            int end = value.length();
            int comma = value.lastIndexOf(",");
            int s = comma + 1;
            while (s < end && (value.byteAt(s) == ' ' || value.byteAt(s) == '\t')) {
                s++;
            }
            // the last header's last coding decides
            chunked = end - s == 7 && value.subSequence(s, end, false).contentEqualsIgnoreCase(CHUNKED);
        }
    }

    /** A Content-Length value: digits, or a list of equal digit strings (RFC 9110 8.6), without empty elements. */
    private void contentLength(AsciiString value) {
        int i = 0;
        int n = value.length();
        do {
            while (i < n && (value.byteAt(i) == ' ' || value.byteAt(i) == '\t')) {
                i++;
            }
            long v = 0;
            int digits = 0;
            int first = i;
            while (i < n && value.byteAt(i) >= '0' && value.byteAt(i) <= '9') {
                if (++digits > 18) {
                    throw new BadMessage("Content-Length too large");
                }
                v = v * 10 + (value.byteAt(i++) - '0');
            }
            while (i < n && (value.byteAt(i) == ' ' || value.byteAt(i) == '\t')) {
                i++;
            }
            if (digits == 0 || i < n && value.byteAt(i) != ',') {
                throw new BadMessage("invalid Content-Length '" + value + "'");
            }
            if (digits > 1 && value.byteAt(first) == '0') {
                nonCanonicalLength = true; // "035" goes on as "35": no hop may read it as octal or differently
            }
            if (length >= 0) {
                if (v != length) {
                    throw new BadMessage("conflicting Content-Length values");
                }
                duplicateLength = true;
            }
            length = v;
            if (i == n) {
                return;
            }
            i++; // past the comma: a value must follow, or "35," would be relayed as it came
        } while (true);
    }

    /** RFC 9112 3.2: a request has one Host header (HTTP/1.1: exactly one), and it names an authority. */
    void checkHost(boolean http11) {
        if (hosts > 1) {
            throw new BadMessage("more than one Host header (RFC 9112 3.2: exactly one)");
        }
        if (hosts == 0 && http11) {
            throw new BadMessage("HTTP/1.1 request without a Host header (RFC 9112 3.2)");
        }
        if (badHost != null) {
            throw new BadMessage("Host header \"" + badHost + "\" is not a valid authority");
        }
    }

    /** Applies the rules that need the whole section; {@code request}: whether it is a request's head. */
    void check(boolean request) {
        if (request && transferEncoding && (!chunked || codings != 1)) {
            // The body would reach the upstream still coded but labelled chunked only (nginx answers 501)
            throw new BadMessage("request Transfer-Encoding other than chunked is not supported");
        }
        if (request && transferEncoding && length >= 0) {
            // RFC 9112 6.3 lets a server reject this; it is how requests are smuggled past a proxy
            throw new BadMessage("request has both Transfer-Encoding and Content-Length");
        }
        sawLength = length >= 0;
        if (transferEncoding) {
            length = -1; // RFC 9112 6.3: it overrides Content-Length (a response's body then runs to the close)
        }
    }

    /**
     * Leaves in {@code headers} the Content-Length the message is relayed with: none when Transfer-Encoding
     * overrides it (RFC 9112 6.3), the plain number once when it was repeated or written otherwise.
     */
    void relayedLength(FlatHeaders headers) {
        if (transferEncoding && sawLength) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (duplicateLength || nonCanonicalLength) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
        }
    }

    /** Whether a trailer field may be kept: never one that would change the framing of the message. */
    static boolean permittedTrailer(AsciiString name) {
        return !(is(name, CONTENT_LENGTH) || is(name, TRANSFER_ENCODING) || is(name, TRAILER));
    }

    /**
     * Whether a Host value is an authority without userinfo (RFC 3986 3.2.2, 3.2.3): a registered name (letters,
     * digits, {@code -._~!$&'()*+,;=} and %-escapes), an IPv4 address or a bracketed IPv6 literal, then an
     * optional {@code :port} of digits. Empty is allowed (RFC 9112 3.2: a target without an authority).
     */
    static boolean authority(AsciiString v) {
        int n = v.length();
        int i = 0;
        if (n > 0 && v.byteAt(0) == '[') {
            for (i = 1; i < n && v.byteAt(i) != ']'; i++) {
                byte b = v.byteAt(i);
                if (b != ':' && b != '.' && Character.digit(b, 16) < 0) {
                    return false;
                }
            }
            if (i++ == n) {
                return false;
            }
        } else {
            for (; i < n && v.byteAt(i) != ':'; i++) {
                byte b = v.byteAt(i);
                if (!(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                      || "-._~!$&'()*+,;=%".indexOf(b) >= 0)) {
                    return false;
                }
            }
        }
        if (i < n && v.byteAt(i++) != ':') {
            return false;
        }
        for (; i < n; i++) {
            if (v.byteAt(i) < '0' || v.byteAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
