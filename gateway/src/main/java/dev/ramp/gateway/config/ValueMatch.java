package dev.ramp.gateway.config;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * What one request value (a header, cookie or query parameter) must be for a targeting rule to match: one of
 * a list of exact values (case-sensitive), or a regular expression that matches the whole value.
 *
 * <p>Regular expressions are RE2/J patterns, compiled once when the config is read: RE2 matches in time
 * linear in the input, so no pattern (such as {@code (a+)+$}) can make a request backtrack for seconds, and
 * backreferences and look-arounds, which need backtracking, are refused at load.
 *
 * <p>Invariant: exactly one of {@link #values()} (non-empty) and {@link #regex()} is set.
 */
public final class ValueMatch {
    private final String[] values;
    private final Pattern regex;

    private ValueMatch(String[] values, Pattern regex) {
        this.values = values;
        this.regex = regex;
    }

    /** Matches a value equal to one of {@code values}. */
    public static ValueMatch anyOf(List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values: [] (expected: at least one value)");
        }
        return new ValueMatch(values.toArray(String[]::new), null);
    }

    /**
     * Matches a value the whole of which the RE2 pattern matches.
     *
     * @throws com.google.re2j.PatternSyntaxException naming what is wrong with the pattern
     */
    public static ValueMatch regex(String pattern) {
        return new ValueMatch(null, Pattern.compile(pattern));
    }

    /** The exact values, or an empty list for a regular expression. */
    public List<String> values() {
        return values == null ? List.of() : List.of(values);
    }

    /** The regular expression's source, or null for exact values. */
    public String regex() {
        return regex == null ? null : regex.pattern();
    }

    /**
     * Whether {@code value} (null when the request has none) matches. Exact values are compared in place,
     * without allocating; a regular expression allocates RE2/J's matcher.
     */
    public boolean matches(CharSequence value) {
        if (value == null) {
            return false;
        }
        if (regex != null) {
            return regex.matcher(value).matches();
        }
        for (String v : values) {
            if (contentEquals(v, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contentEquals(String a, CharSequence b) {
        int n = a.length();
        if (n != b.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** As written in the config: {@code "beta"}, {@code ["a", "b"]} or {@code { regex = "..." }}. */
    @Override
    public String toString() {
        if (regex != null) {
            return "{ regex = " + quote(regex.pattern()) + " }";
        }
        if (values.length == 1) {
            return quote(values[0]);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(values[i]));
        }
        return sb.append(']').toString();
    }

    static String quote(String s) {
        return com.typesafe.config.ConfigUtil.quoteString(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueMatch m && toString().equals(m.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
