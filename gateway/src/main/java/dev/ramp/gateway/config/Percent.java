package dev.ramp.gateway.config;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A percentage with at most two decimals, held exactly as basis points (1 bp = 0.01 %).
 * Used for the canary weight (0 %..100 %) and the guard's error-rate thresholds.
 *
 * <p>Invariant: {@code 0 <= basisPoints <= 10_000}.
 */
public record Percent(int basisPoints) {

    /** The whole: 100 %. */
    public static final int MAX_BASIS_POINTS = 10_000;

    public static final Percent ZERO = new Percent(0);

    private static final Pattern SYNTAX = Pattern.compile("\\s*(\\d{1,3})(?:\\.(\\d+))?\\s*%\\s*");

    public Percent {
        if (basisPoints < 0 || basisPoints > MAX_BASIS_POINTS) {
            throw new IllegalArgumentException(
                    "basisPoints: " + basisPoints + " (expected: 0..10000)");
        }
    }

    /**
     * Parses {@code "5%"}, {@code "12.5%"}, {@code "0.01%"}.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static Percent parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" (expected: a percentage string such as \"5%\" or \"12.5%\")");
        }
        String decimals = m.group(2) == null ? "" : m.group(2);
        if (decimals.length() > 2) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" has " + decimals.length()
                    + " decimals (expected: at most 2, e.g. \"12.55%\")");
        }
        int whole = Integer.parseInt(m.group(1));
        int frac = decimals.isEmpty() ? 0 : Integer.parseInt((decimals + "0").substring(0, 2));
        int bp = whole * 100 + frac;
        if (bp > MAX_BASIS_POINTS) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: 0% to 100%)");
        }
        return new Percent(bp);
    }

    /** This percentage as a ratio in [0, 1]. */
    public double ratio() {
        return basisPoints / (double) MAX_BASIS_POINTS;
    }

    /** Canonical text: {@code "5%"}, {@code "12.5%"}, {@code "0.01%"}. */
    @Override
    public String toString() {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
