package dev.ramp.gateway.proxy.http1;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The known differences between {@link Cookies#value} and Netty's {@code ServerCookieDecoder} (STRICT or LAX)
 * for one named cookie. Each is listed with its reason in docs/design/http1.md; the differential test fails on a
 * difference none of these explains.
 */
enum CookieDifference {
    /**
     * Values are not checked against RFC 6265's cookie-octet (spaces, commas, quotes, backslashes, controls,
     * bytes above 0x7e): the gateway only compares them, as an opaque identity. STRICT drops such a cookie.
     */
    VALUE_NOT_VALIDATED {
        @Override
        boolean explains(String header, String name, String ramp, String netty) {
            List<String> raw = rawValues(header, name, " +");
            return netty == null && ramp != null && !raw.isEmpty() && INVALID.matcher(raw.get(0)).find();
        }
    },
    /** Trailing spaces are cut from the value (a pasted or hand-written header); LAX keeps them. */
    TRAILING_SPACES_CUT {
        @Override
        boolean explains(String header, String name, String ramp, String netty) {
            return ramp != null && netty != null && netty.length() > ramp.length() && netty.startsWith(ramp)
                    && netty.substring(ramp.length()).isBlank() && netty.endsWith(" ");
        }
    },
    /**
     * Only spaces and {@code ;} separate pairs (RFC 6265 4.2.1: {@code "; "}); Netty also skips tabs, other
     * whitespace, control characters (LAX) and commas before a name, so a pair after one of those is seen by Netty only (and may be the
     * one it answers with).
     */
    ONLY_SPACE_SEPARATES {
        @Override
        boolean explains(String header, String name, String ramp, String netty) {
            return netty != null && !netty.equals(ramp)
                    && Pattern.compile("[\\x00-\\x1f,][\\x00-\\x20,;]*" + Pattern.quote(name) + "[\\s]*=")
                    .matcher(header).find();
        }
    },
    /**
     * The name must be followed by {@code =} at once (RFC 6265 4.2.1); LAX also drops whitespace and control
     * characters between the name and {@code =}, so it may
     * answer with a pair Ramp does not see as the name.
     */
    NAME_NOT_TRIMMED {
        @Override
        boolean explains(String header, String name, String ramp, String netty) {
            return netty != null && !netty.equals(ramp)
                    && Pattern.compile(Pattern.quote(name) + "[\\x00-\\x20]+=").matcher(header).find();
        }
    },
    /**
     * The first pair with the name wins, whatever its value; Netty skips a pair whose value it refuses (STRICT:
     * not cookie-octets; both: an unbalanced quote) and takes a later pair with the same name.
     */
    FIRST_PAIR_WINS {
        @Override
        boolean explains(String header, String name, String ramp, String netty) {
            List<String> raw = rawValues(header, name, "[\\x00-\\x20,]+");
            return ramp != null && netty != null && raw.size() > 1 && INVALID.matcher(raw.get(0)).find();
        }
    };

    /** Bytes that are not RFC 6265 cookie-octets, or a double quote that does not wrap the whole value. */
    private static final Pattern INVALID = Pattern.compile("[^\\x21\\x23-\\x2b\\x2d-\\x3a\\x3c-\\x5b\\x5d-\\x7e]"
            + "|^\"[^\"]*$|^[^\"]+\"|^\"[^\"]*\"[^\"]");

    /** Whether this difference explains Ramp finding {@code ramp} and Netty {@code netty} in {@code header}. */
    abstract boolean explains(String header, String name, String ramp, String netty);

    /**
     * The raw values, in order, of the pairs named {@code name} in {@code header}: split at {@code ;}, what
     * {@code skipped} matches skipped before each name, nothing trimmed or unquoted.
     */
    static List<String> rawValues(String header, String name, String skipped) {
        List<String> values = new ArrayList<>();
        for (String pair : header.split(";", -1)) {
            String p = pair.replaceFirst("^" + skipped, "");
            if (p.startsWith(name + "=")) {
                values.add(p.substring(name.length() + 1));
            }
        }
        return values;
    }
}
