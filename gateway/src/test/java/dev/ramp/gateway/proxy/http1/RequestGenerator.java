package dev.ramp.gateway.proxy.http1;

import java.util.List;
import java.util.Random;

/**
 * Random requests for the differential test: mostly well-formed heads and bodies (Content-Length or chunked,
 * extensions, trailers, pipelining) built from parts that decoders treat differently, then, for half of them, a
 * few bytes inserted, replaced or deleted at random. Deterministic for a given {@link Random}.
 */
final class RequestGenerator {
    private static final List<String> METHODS = List.of("GET", "GET", "POST", "PUT", "get", "PATCH", "DELETE", "G@T");
    private static final List<String> TARGETS = List.of("/", "/a/b?c=d", "http://h.test/x", "*", "/%20x", "/a;b",
            "/caf\u00c3\u00a9");
    private static final List<String> VERSIONS = List.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/1.2",
            "http/1.1");
    private static final List<String> HEADERS = List.of("Host: a", "X-A: b", "Accept: */*", "Cookie: a=b; c=d",
            "Connection: keep-alive", "Connection: close", "X-Empty:", "X-Pad:  v  ", "Expect: 100-continue",
            "User-Agent: t/1.0", "X-Obs: caf\u00e9", "x-lower: 1", "X-Quote: \"q\"");
    /** Bytes that decoders disagree about, for mutations. */
    private static final char[] NASTY = {' ', '\t', '\r', '\n', ':', ';', ',', '=', '"', '(', '\0', 0x0b, 0x7f,
        0x80, 0xff, 'A', '0', 'f'};

    private final Random random;

    RequestGenerator(Random random) {
        this.random = random;
    }

    /** A request (sometimes two, pipelined), as ISO-8859-1 text. */
    String next() {
        String r = request();
        if (random.nextInt(5) == 0) {
            r += request();
        }
        return random.nextBoolean() ? mutate(r) : r;
    }

    private String request() {
        String eol = random.nextInt(8) == 0 ? "\n" : "\r\n";
        StringBuilder b = new StringBuilder();
        if (random.nextInt(10) == 0) {
            b.append("\r\n");
        }
        b.append(pick(METHODS)).append(' ').append(pick(TARGETS)).append(' ').append(pick(VERSIONS)).append(eol);
        for (int i = random.nextInt(5); i > 0; i--) {
            b.append(pick(HEADERS)).append(eol);
        }
        String body = "x".repeat(random.nextInt(12));
        switch (random.nextInt(5)) {
            case 0 -> b.append(eol);
            case 1, 2 -> b.append("Content-Length: ").append(body.length()).append(eol).append(eol).append(body);
            case 3 -> b.append("Content-Length: ").append(body.length()).append(eol)
                    .append("Content-Length: ").append(body.length()).append(eol).append(eol).append(body);
            default -> chunked(b, eol);
        }
        return b.toString();
    }

    private void chunked(StringBuilder b, String eol) {
        b.append("Transfer-Encoding: ").append(random.nextInt(6) == 0 ? "gzip, chunked" : "chunked").append(eol);
        if (random.nextInt(6) == 0) {
            b.append("Content-Length: 3").append(eol);
        }
        b.append(eol);
        for (int i = random.nextInt(3); i > 0; i--) {
            int size = 1 + random.nextInt(20);
            b.append(Integer.toHexString(size));
            switch (random.nextInt(6)) {
                case 0 -> b.append(";ext");
                case 1 -> b.append(";e=v");
                case 2 -> b.append(";e=\"v\"");
                default -> { }
            }
            b.append("\r\n").append("y".repeat(size)).append("\r\n");
        }
        b.append('0').append(eol);
        if (random.nextInt(4) == 0) {
            b.append("X-Trailer: t").append(eol);
        }
        b.append(eol);
    }

    private String mutate(String s) {
        StringBuilder b = new StringBuilder(s);
        for (int i = 1 + random.nextInt(3); i > 0 && b.length() > 0; i--) {
            int at = random.nextInt(b.length());
            char c = NASTY[random.nextInt(NASTY.length)];
            switch (random.nextInt(3)) {
                case 0 -> b.insert(at, c);
                case 1 -> b.setCharAt(at, c);
                default -> b.deleteCharAt(at);
            }
        }
        return b.toString();
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
