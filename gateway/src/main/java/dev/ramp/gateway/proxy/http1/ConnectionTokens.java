package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * The header names that a message's Connection headers list (RFC 9110 7.6.1), parsed once per message, so
 * that stripping them costs a hash and a binary search per header rather than a scan of the whole Connection
 * value per header: with a 16 KB head of ~300 headers and a Connection value listing ~1 000 names, that scan
 * made the head cost ~1 300 times a normal one ({@code HeadDecodingBenchmark}). Every Connection header
 * counts, not only the first.
 *
 * <p>The names are not copied: each is kept as a region of the header value it came from, found by its
 * case-insensitive hash (sorted) and confirmed by comparing the region. {@code close} and {@code keep-alive}
 * are connection options, not header names to strip (Keep-Alive is hop-by-hop anyway), so a message that
 * lists only those gets {@link #NONE}: the common case allocates nothing.
 */
final class ConnectionTokens {

    static final ConnectionTokens NONE = new ConnectionTokens(null, null, null, 0);

    /** Per listed name, sorted: its hash in the high half, its index in the region arrays in the low half. */
    private final long[] byHash;
    private final CharSequence[] source;
    /** Per listed name: start in its source value (high half) and length (low half). */
    private final long[] region;

    private ConnectionTokens(long[] byHash, CharSequence[] source, long[] region, int count) {
        this.byHash = byHash == null ? new long[0] : Arrays.copyOf(byHash, count);
        this.source = source;
        this.region = region;
        if (count > 0) {
            Arrays.sort(this.byHash);
        }
    }

    /** The names every Connection header of {@code h} lists. */
    static ConnectionTokens of(FlatHeaders h) {
        Builder b = null;
        // By index, not valueCharSequenceIterator: no iterator per request.
        for (int i = h.indexOf(HttpHeaderNames.CONNECTION, 0); i >= 0; i = h.indexOf(HttpHeaderNames.CONNECTION, i + 1)) {
            b = addElements(h.kv[(i << 1) + 1], b);
        }
        return b == null ? NONE : new ConnectionTokens(b.byHash, b.source, b.region, b.count);
    }

    /** Whether nothing is listed: the message's headers need only the fixed hop-by-hop names removed. */
    boolean isEmpty() {
        return byHash.length == 0;
    }

    /** Whether {@code name} (any case) is listed. */
    boolean contains(CharSequence name) {
        long hash = hash(name, 0, name.length());
        int lo = 0;
        int hi = byHash.length - 1;
        while (lo < hi) {   // the first entry whose hash is >= hash
            int mid = (lo + hi) >>> 1;
            if (byHash[mid] >> 32 < hash) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < byHash.length && byHash[i] >> 32 == hash; i++) {
            int token = (int) byHash[i];
            int start = (int) (region[token] >>> 32);
            int len = (int) region[token];
            if (len == name.length() && AsciiString.regionMatches(source[token], true, start, name, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the elements of one comma-separated value, trimmed, other than the connection options. */
    private static Builder addElements(CharSequence list, Builder b) {
        int n = list.length();
        for (int i = 0; i <= n; ) {
            int end = HeaderValues.elementEnd(list, i);
            int s = HeaderValues.trimStart(list, i, end);
            int e = HeaderValues.trimEnd(list, s, end);
            if (e > s && !isOption(list, s, e)) {
                if (b == null) {
                    b = new Builder();
                }
                b.add(list, s, e);
            }
            i = end + 1;
        }
        return b;
    }

    private static boolean isOption(CharSequence list, int s, int e) {
        int len = e - s;
        return len == 5 && AsciiString.regionMatches(list, true, s, "close", 0, 5)
                || len == 10 && AsciiString.regionMatches(list, true, s, "keep-alive", 0, 10);
    }

    /** A hash of {@code s[start, end)} that ignores the case of ASCII letters. */
    private static int hash(CharSequence s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return h;
    }

    private static final class Builder {
        long[] byHash = new long[8];
        CharSequence[] source = new CharSequence[8];
        long[] region = new long[8];
        int count;

        void add(CharSequence list, int s, int e) {
            if (count == byHash.length) {
                byHash = Arrays.copyOf(byHash, count * 2);
                source = Arrays.copyOf(source, count * 2);
                region = Arrays.copyOf(region, count * 2);
            }
            byHash[count] = (long) hash(list, s, e) << 32 | count;
            source[count] = list;
            region[count] = (long) s << 32 | (e - s);
            count++;
        }
    }
}
