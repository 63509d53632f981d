package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Calendar;
import java.util.Date;

/**
 * Header values for {@link FlatHeaders} and {@link Headers}: how an object becomes a stored value, and the
 * comma-separated lists (Connection, Transfer-Encoding) read without an iterator or a sub-sequence. Stateless.
 */
final class HeaderValues {
    private HeaderValues() {}

    /** A header value as stored: a {@code CharSequence} as it is, a date in HTTP format, anything else as a string. */
    static CharSequence value(Object value) {
        if (value instanceof CharSequence cs) {
            return cs;
        }
        if (value == null) {
            throw new NullPointerException("header value");
        }
        if (value instanceof Date d) {
            return DateFormatter.format(d);
        }
        if (value instanceof Calendar c) {
            return DateFormatter.format(c.getTime());
        }
        return value.toString();
    }

    /** Whether the comma-separated {@code list} has an element, trimmed of spaces and tabs, equal to {@code element}. */
    static boolean hasElement(CharSequence list, CharSequence element, boolean ignoreCase) {
        int n = list.length();
        int want = element.length();
        for (int i = 0; i <= n; ) {
            int end = elementEnd(list, i);
            int s = trimStart(list, i, end);
            int e = trimEnd(list, s, end);
            if (e - s == want && AsciiString.regionMatches(list, ignoreCase, s, element, 0, want)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    /** Where the element of a comma-separated {@code list} that starts at {@code from} ends: its comma, or the end. */
    static int elementEnd(CharSequence list, int from) {
        int end = from;
        int n = list.length();
        while (end < n && list.charAt(end) != ',') {
            end++;
        }
        return end;
    }

    /** The first index in {@code [from, to)} that is not a space or tab ({@code to} if none). */
    static int trimStart(CharSequence s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} without its trailing spaces and tabs. */
    static int trimEnd(CharSequence s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
