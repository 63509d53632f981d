package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;

/**
 * Finds one cookie in a request's Cookie headers, for the gateway's identity cookie on every request.
 *
 * <p>Not Netty's {@code ServerCookieDecoder}: it decodes every cookie of the header into a {@code Cookie} object
 * in a sorted set (with a {@code String} per name and value) to answer one look-up, and the gateway asks for one
 * name per request. This scans the header values in place and makes one {@code String}, the value found.
 *
 * <p>It reads {@code name=value} pairs separated by {@code ;} and spaces, as browsers send them (RFC 6265 5.4):
 * the name must match exactly (case-sensitive), the first match wins (across several Cookie headers, in order),
 * trailing spaces are cut from the value and one pair of surrounding double quotes is removed. Values are not
 * validated: the caller uses the value as an opaque identity. How this differs from
 * {@code ServerCookieDecoder.STRICT} and {@code LAX} is listed in docs/design/http1.md.
 */
public final class Cookies {
    private Cookies() {}

    /** The value of cookie {@code name} in the Cookie headers of {@code h}, or null when there is none. */
    public static String value(HttpHeaders h, String name) {
        Iterator<? extends CharSequence> it = h.valueCharSequenceIterator(HttpHeaderNames.COOKIE);
        while (it.hasNext()) {
            String v = value(it.next(), name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The value of cookie {@code name} in one Cookie header value {@code v}, or null when there is none. */
    static String value(CharSequence v, String name) {
        long range = range(v, name);
        return range < 0 ? null : v.subSequence((int) (range >>> 32), (int) range).toString();
    }

    /**
     * The value of cookie {@code name} in the Cookie headers of {@code h} as a view ({@code out} re-pointed), or
     * null: the same value {@link #value(HttpHeaders, String)} finds, without making a {@code String}.
     */
    public static CharSequence view(FlatHeaders h, String name, CharSlice out) {
        int i = -1;
        while ((i = h.indexOf(HttpHeaderNames.COOKIE, i + 1)) >= 0) {
            CharSequence v = h.kv[(i << 1) + 1];
            long range = range(v, name);
            if (range >= 0) {
                return out.set(v, (int) (range >>> 32), (int) range);
            }
        }
        return null;
    }

    /** Where the value of cookie {@code name} lies in {@code v}: {@code start << 32 | end}, or -1. */
    private static long range(CharSequence v, String name) {
        int n = v.length();
        int i = 0;
        while (i < n) {
            while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == ';')) {
                i++;
            }
            int end = i;
            while (end < n && v.charAt(end) != ';') {
                end++;
            }
            int eq = i;
            while (eq < end && v.charAt(eq) != '=') {
                eq++;
            }
            if (eq - i == name.length() && regionEquals(v, i, name) && eq < end) {
                int s = eq + 1;
                int e = end;
                while (e > s && v.charAt(e - 1) == ' ') {
                    e--;
                }
                if (e - s >= 2 && v.charAt(s) == '"' && v.charAt(e - 1) == '"') {
                    s++;
                    e--;
                }
                return (long) s << 32 | e;
            }
            i = end + 1;
        }
        return -1;
    }

    private static boolean regionEquals(CharSequence v, int at, String name) {
        for (int k = 0; k < name.length(); k++) {
            if (v.charAt(at + k) != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
