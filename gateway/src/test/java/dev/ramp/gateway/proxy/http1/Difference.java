package dev.ramp.gateway.proxy.http1;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The known, intentional differences between Ramp's request decoder and Netty's {@code HttpRequestDecoder}
 * (4.2, default configuration with Ramp's size limits). Each is listed with its reason in docs/design/http1.md.
 * The differential test fails on a difference that none of these explains, and on a corpus case that no longer
 * shows the difference it is marked with.
 */
enum Difference {
    /**
     * RFC 9112 3.2: an HTTP/1.1 request without Host, a request with two, or a Host that is not an authority is
     * rejected; Netty passes them on.
     */
    HOST(Direction.RAMP_STRICTER, raw -> P.HOST_LINE.matcher(raw).results().count()
            != P.ANY_REQUEST_LINE.matcher(raw).results().count()
            || P.HOST_LINE.matcher(raw).results().anyMatch(m -> !P.AUTHORITY.matcher(m.group(1).strip()).matches())),
    /** A Content-Length with leading zeros is relayed as its plain number; Netty relays it as written. */
    CANONICAL_LENGTH(Direction.DIFFERENT_BYTES, raw -> P.ZERO_LENGTH.matcher(raw).find()),
    /**
     * RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing and is rejected; Netty reads
     * it as chunked.
     */
    HTTP10_TRANSFER_ENCODING(Direction.RAMP_STRICTER,
            raw -> P.HTTP10.matcher(raw).find() && P.CODINGS.matcher(raw).find()),
    /**
     * RFC 9112 3: the request line's parts are separated by single spaces, and only empty lines may come before
     * it (RFC 9112 2.2). Netty splits on any run of whitespace (tab, vertical tab, form feed, CR) and skips any
     * control characters and whitespace before the method.
     */
    REQUEST_LINE_WHITESPACE(Direction.RAMP_STRICTER, raw -> anyRequestLine(raw, l -> P.ODD_SPACE.matcher(l).find())
            || P.BLANK_LINE.matcher(raw).find()),
    /**
     * A request that starts with a byte no method can start with (a TLS handshake, a binary protocol) is
     * rejected at that byte; Netty waits for the line to end, which such a client may never send.
     */
    NOT_HTTP(Direction.RAMP_STRICTER, raw -> P.NOT_HTTP_START.matcher(raw).find()),
    /** Only HTTP/1.0 and HTTP/1.1, spelled exactly; Netty takes any {@code name/x.y}, in any case. */
    HTTP_VERSION(Direction.RAMP_STRICTER, raw -> anyRequestLine(raw, l -> !P.VERSION.matcher(l).find())),
    /** A control byte in the request line is rejected; Netty passes it on inside the target. */
    TARGET_CONTROL(Direction.RAMP_STRICTER, raw -> anyRequestLine(raw, l -> P.CONTROL.matcher(l).find())),
    /**
     * Non-ASCII bytes in the target are read as UTF-8 (so the encoder, which writes UTF-8, relays them as they
     * came); Netty reads them as ISO-8859-1, and its encoder then writes each of them as two bytes.
     */
    TARGET_NON_ASCII(Direction.DIFFERENT_BYTES, raw -> anyRequestLine(raw, l -> P.NON_ASCII.matcher(l).find())),
    /** RFC 9112 2.2: a bare LF ends a line; Netty's strict line parsing rejects it. */
    BARE_LF(Direction.RAMP_TOLERANT, raw -> P.BARE_LF_AT.matcher(raw).find()),
    /**
     * A head (or trailer section) is judged once all of it has arrived; Netty rejects at the first bad line, so
     * while the rest has not arrived Ramp has not answered yet. It does once the section ends.
     */
    WHOLE_SECTION_FIRST(Direction.RAMP_LATER, raw -> true),
    /** RFC 9112 5.2: obs-fold in a request (headers or trailers) is rejected; Netty joins the lines. */
    OBS_FOLD(Direction.RAMP_STRICTER, raw -> P.FOLD.matcher(raw).find()),
    /**
     * RFC 9110 8.6: repeated, equal Content-Length values are accepted and relayed as one (the first, in place),
     * differing ones rejected. Netty rejects any repetition in HTTP/1.1 and takes the first value in HTTP/1.0,
     * relaying it as a new lower-case {@code content-length} header.
     */
    DUPLICATE_CONTENT_LENGTH(EnumSet.allOf(Direction.class), raw -> P.LENGTHS.matcher(raw).results().count() > 1
            || P.LENGTH_LIST.matcher(raw).find()),
    /**
     * RFC 9112 7.1.1: chunk extensions are skipped whatever they say (a recipient ignores those it does not
     * understand), only control bytes are rejected. Netty 4.2 checks their syntax, and also rejects an unquoted
     * value ({@code ;name=value}), which the RFC allows.
     */
    CHUNK_EXTENSION(Direction.RAMP_TOLERANT, raw -> P.EXTENSION.matcher(raw).find()),
    /** Chunk sizes up to 15 hex digits are accepted; Netty rejects sizes above {@code Integer.MAX_VALUE}. */
    CHUNK_SIZE_RANGE(Direction.RAMP_TOLERANT, raw -> P.BIG_CHUNK.matcher(raw).find()),
    /**
     * RFC 9112 6.1 and 7: a request's Transfer-Encoding must be exactly {@code chunked}; any other coding or
     * list is rejected (501-worthy). Netty takes chunked anywhere in the list, and otherwise reads no body.
     */
    TRANSFER_CODING(Direction.RAMP_STRICTER, raw -> P.CODINGS.matcher(raw).results()
            .anyMatch(m -> !m.group(1).strip().equalsIgnoreCase("chunked"))
            || P.CODINGS.matcher(raw).results().count() > 1),
    /** RFC 9112 6.3: a request with both Transfer-Encoding and Content-Length is rejected; Netty drops the length. */
    TE_WITH_CONTENT_LENGTH(Direction.RAMP_STRICTER,
            raw -> P.CODINGS.matcher(raw).find() && P.LENGTHS.matcher(raw).find());

    /** How the outcomes differ. */
    enum Direction {
        /** Ramp rejects what Netty accepts (or rejects it earlier in the message). */
        RAMP_STRICTER,
        /** Netty rejects what Ramp accepts. */
        RAMP_TOLERANT,
        /** The same verdict, with different bytes. */
        DIFFERENT_BYTES,
        /** Netty rejects; Ramp has not decided yet, and rejects once the section ends. */
        RAMP_LATER;

        /**
         * Whether outcomes {@code ramp} and {@code netty} (as {@link RequestDecoding} renders them) of the request
         * bytes {@code raw} fit.
         */
        boolean fits(String raw, String ramp, String netty) {
            boolean r = ramp.contains("REJECT");
            boolean n = netty.contains("REJECT");
            return switch (this) {
                case RAMP_STRICTER -> r && (!n || ramp.length() < netty.length());
                case RAMP_TOLERANT -> n && (!r || netty.length() < ramp.length());
                case DIFFERENT_BYTES -> r == n;
                case RAMP_LATER -> n && !r && RequestDecoding.ramp(
                        (raw + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).contains("REJECT");
            };
        }
    }

    /** The patterns the predicates use (a holder: enum constants cannot see the enum's static fields). */
    private static final class P {
        static final Pattern VERSION = Pattern.compile(" HTTP/1\\.[01]$");
        static final Pattern HOST_LINE = Pattern.compile("(?im)^host:([^\r\n]*)");
        static final Pattern ANY_REQUEST_LINE = Pattern.compile("(?m)^[^\r\n]+ HTTP/1\\.[01]\r?$");
        static final Pattern AUTHORITY = Pattern.compile(
                "(\\[[0-9A-Fa-f:.]*]|[A-Za-z0-9\\-._~!$&'()*+,;=%]*)(:[0-9]*)?");
        static final Pattern ZERO_LENGTH = Pattern.compile("(?im)^content-length:[ \t]*0[0-9]");
        static final Pattern HTTP10 = Pattern.compile("(?m) HTTP/1\\.0\r?$");
        /** A message (the start, or after a head's blank line) whose first byte cannot begin a method. */
        static final Pattern NOT_HTTP_START =
                Pattern.compile("(?:\\A|\n\r?\n)(?:\r?\n)*[^!#$%&'*+.^_`|~0-9A-Za-z\r\n-]");
        static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
        static final Pattern NON_ASCII = Pattern.compile("[\\x80-\\xff]");
        /** A line whose first word could be a method: no colon in it, and a space after it. */
        static final Pattern REQUEST_LINE = Pattern.compile("(?m)^[\\x00-\\x20&&[^\n]]*[^:\\s]+[\\x00-\\x20&&[^\n]]+[^\n]*");
        /** Whitespace a request line may not have: other than single spaces between words, or before the method. */
        /** A line of only whitespace or control characters: not empty, so not skipped before a request line. */
        static final Pattern BLANK_LINE = Pattern.compile("(?m)^[\\x00-\\x20&&[^\r\n]]+\r?$");
        static final Pattern ODD_SPACE = Pattern.compile("^[\\x00-\\x20]|  |[\t\\x0b\\x0c]|\r.");
        static final Pattern BARE_LF_AT = Pattern.compile("(?<!\r)\n");
        static final Pattern FOLD = Pattern.compile("\n[ \t]");
        static final Pattern LENGTHS = Pattern.compile("(?im)^content-length:");
        static final Pattern LENGTH_LIST = Pattern.compile("(?im)^content-length:[^\r\n]*,");
        static final Pattern EXTENSION = Pattern.compile("(?m)^[0-9a-fA-F]+[ \t]*;[^\r\n]");
        static final Pattern BIG_CHUNK = Pattern.compile("(?m)^0*[1-9a-fA-F][0-9a-fA-F]{7,}");
        static final Pattern CODINGS = Pattern.compile("(?im)^transfer-encoding:([^\r\n]*)");
    }

    /** The ways the outcomes may differ where this difference applies. */
    final Set<Direction> directions;
    private final Predicate<String> appliesTo;

    Difference(Direction direction, Predicate<String> appliesTo) {
        this(EnumSet.of(direction), appliesTo);
    }

    Difference(Set<Direction> directions, Predicate<String> appliesTo) {
        this.directions = directions;
        this.appliesTo = appliesTo;
    }

    /** Whether this difference explains {@code ramp} and {@code netty} for the request bytes {@code raw}. */
    boolean explains(String raw, String ramp, String netty) {
        return appliesTo.test(raw) && directions.stream().anyMatch(d -> d.fits(raw, ramp, netty));
    }

    /** Whether {@code test} holds for a line of {@code raw} that looks like a request line (end of line cut). */
    static boolean anyRequestLine(String raw, Predicate<String> test) {
        Matcher m = P.REQUEST_LINE.matcher(raw);
        while (m.find()) {
            String line = m.group();
            if (test.test(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line)) {
                return true;
            }
        }
        return false;
    }
}
