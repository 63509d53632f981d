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
            int end = i;
            while (end < n && list.charAt(end) != ',') {
                end++;
            }
            int s = i;
            int e = end;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == want && AsciiString.regionMatches(list, ignoreCase, s, element, 0, want)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }
}
