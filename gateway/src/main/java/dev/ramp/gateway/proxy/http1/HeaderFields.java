package dev.ramp.gateway.proxy.http1;

import static dev.ramp.gateway.proxy.http1.Lines.CR;
import static dev.ramp.gateway.proxy.http1.Lines.LF;
import static dev.ramp.gateway.proxy.http1.Lines.TCHAR;
import static dev.ramp.gateway.proxy.http1.Lines.lineEnd;
import static dev.ramp.gateway.proxy.http1.Lines.next;
import static dev.ramp.gateway.proxy.http1.Lines.trim;

import io.netty.util.AsciiString;

/**
 * The header and trailer sections of {@link Http1Decoder} (RFC 9112 5): splits {@code name: value} lines into
 * {@link FlatHeaders}, each name and value an {@link AsciiString} view into the head's bytes, and rejects what a
 * proxy must not relay. Stateless.
 */
final class HeaderFields {
    private HeaderFields() {}

    /**
     * Parses header (or trailer) lines from {@code p} up to the empty line into {@code headers}, noting the
     * framing headers in {@code f}. {@code requests}: whether the section is a request's, where obs-fold and
     * whitespace before the colon are rejected; {@code commonNames}: names shared when spelled exactly so.
     */
    static void parse(byte[] h, int p, FlatHeaders headers, Framing f, boolean trailers, boolean requests,
            AsciiString[][] commonNames) {
        AsciiString lastValue = null;
        while (h[p] != CR && h[p] != LF) {
            byte first = h[p];
            if (first == ' ' || first == '\t') {
                // obs-fold (RFC 9112 5.2): a request must be rejected; a response's is replaced by a space
                if (requests || lastValue == null) {
                    throw new BadMessage("obsolete line folding in header section");
                }
                int e = lineEnd(h, p);
                AsciiString more = trim(h, p, e);
                AsciiString joined = more.isEmpty() ? lastValue : lastValue.concat(" ").concat(more);
                headers.replaceLastValue(joined);
                lastValue = joined;
                p = next(h, e);
                continue;
            }
            int ns = p;
            byte b;
            while ((b = h[p]) != ':') {
                if (!TCHAR[b & 0xff]) {
                    if (!requests && (b == ' ' || b == '\t')) {
                        // RFC 9112 5.1: a proxy removes whitespace before the colon of a response's header
                        int q = p;
                        while (h[q] == ' ' || h[q] == '\t') {
                            q++;
                        }
                        if (h[q] == ':') {
                            break;
                        }
                    }
                    throw new BadMessage(b == CR || b == LF ? "header line without a colon"
                            : "invalid character 0x" + Integer.toHexString(b & 0xff) + " in header name");
                }
                p++;
            }
            int ne = p;
            if (ne == ns) {
                throw new BadMessage("empty header name");
            }
            while (h[p] != ':') {
                p++;
            }
            int e = lineEnd(h, p + 1);
            AsciiString name = name(commonNames, h, ns, ne - ns);
            AsciiString value = trim(h, p + 1, e);
            p = next(h, e);
            if (trailers && !Framing.permittedTrailer(name)) {
                lastValue = null;
                continue;
            }
            headers.add(name, value);
            lastValue = value;
            f.note(name, value);
        }
        if (h[p] == CR && h[p + 1] != LF) {
            // A line starting with a bare CR is not the empty line that ends the section (that one was found
            // further on): taking it as the end would drop the lines between unread.
            throw new BadMessage("CR without LF in a line");
        }
    }

    private static AsciiString name(AsciiString[][] commonNames, byte[] h, int start, int length) {
        AsciiString common = CommonNames.common(commonNames, h, start, length);
        return common != null ? common : new AsciiString(h, start, length, false);
    }
}
