package dev.ramp.gateway.proxy.http1;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written request edge cases for the differential test, each with what it is expected to show: the same
 * outcome from Ramp's and Netty's decoders ({@code null}), or one of the {@link Difference}s.
 */
final class RequestCorpus {
    private RequestCorpus() {}

    /** One input: a name for the report, the bytes (ISO-8859-1), and the expected difference or null. */
    record Case(String name, String raw, Difference expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String H = "Host: a\r\n";

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- request lines
        c.add(same("plain GET", "GET / HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("query and fragment-like bytes", "GET /a/b?c=d&e=%20f HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("absolute-form target", "GET http://a.test:8080/x?y HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("authority-form CONNECT", "CONNECT a.test:443 HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("asterisk-form OPTIONS", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("lower-case method", "get / HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("extension method", "PURGE /x HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        c.add(same("HTTP/1.0 without headers", "GET / HTTP/1.0\r\n\r\n"));
        c.add(same("empty lines before the request line", "\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("pipelined requests", "GET /1 HTTP/1.1\r\n" + H + "\r\nGET /2 HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("method with a non-token byte", "G@T / HTTP/1.1\r\n" + H + "\r\n"));
        c.add(differs("two spaces after the method", "GET  / HTTP/1.1\r\n" + H + "\r\n", Difference.REQUEST_LINE_WHITESPACE));
        c.add(same("space after the version", "GET / HTTP/1.1 \r\n" + H + "\r\n"));
        c.add(differs("tab as separator", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", Difference.REQUEST_LINE_WHITESPACE));
        c.add(same("tab inside the target", "GET /a\tb HTTP/1.1\r\n" + H + "\r\n"));
        c.add(differs("vertical tab as separator", "GET\u000b/ HTTP/1.1\r\n" + H + "\r\n",
                Difference.REQUEST_LINE_WHITESPACE));
        c.add(differs("control byte before the method", "\u0000GET / HTTP/1.1\r\n" + H + "\r\n",
                Difference.REQUEST_LINE_WHITESPACE));
        c.add(differs("a line of one space before the request", " \r\nGET / HTTP/1.1\r\n" + H + "\r\n",
                Difference.REQUEST_LINE_WHITESPACE));
        c.add(same("no version", "GET /\r\n" + H + "\r\n"));
        c.add(differs("TLS handshake record, no line end", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003",
                Difference.NOT_HTTP));
        c.add(differs("binary bytes after a request", "GET / HTTP/1.1\r\n" + H + "\r\n\u0000\u0001\u0002",
                Difference.NOT_HTTP));
        c.add(differs("leading zeros in a length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 005\r\n\r\nhello",
                Difference.CANONICAL_LENGTH));
        c.add(differs("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", Difference.HOST));
        c.add(differs("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", Difference.HOST));
        c.add(differs("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", Difference.HOST));
        c.add(differs("HTTP/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n", Difference.HTTP_VERSION));
        c.add(differs("HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", Difference.HTTP_VERSION));
        c.add(differs("lower-case version", "GET / http/1.1\r\n" + H + "\r\n", Difference.HTTP_VERSION));
        c.add(same("garbage version", "GET / FOO/1.1\r\n" + H + "\r\n"));
        c.add(differs("UTF-8 bytes in the target", "GET /caf\u00c3\u00a9 HTTP/1.1\r\n" + H + "\r\n", Difference.TARGET_NON_ASCII));
        c.add(differs("byte 0xff in the target", "GET /\u00ff HTTP/1.1\r\n" + H + "\r\n", Difference.TARGET_NON_ASCII));
        c.add(differs("NUL in the target", "GET /\u0000 HTTP/1.1\r\n" + H + "\r\n", Difference.TARGET_CONTROL));
        c.add(same("request line of 8000 bytes", "GET /" + "a".repeat(8000) + " HTTP/1.1\r\n" + H + "\r\n"));
        c.add(same("request line of 9000 bytes", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + H + "\r\n"));
        // ---- line endings
        c.add(differs("bare LF line endings", "GET / HTTP/1.1\n" + "Host: a\n\n", Difference.BARE_LF));
        c.add(differs("bare LF after CRLF lines", "GET / HTTP/1.1\r\nHost: a\r\n\n", Difference.BARE_LF));
        c.add(same("bare CR inside a value", "GET / HTTP/1.1\r\nX: a\rb\r\n" + H + "\r\n"));
        c.add(same("bare CR line ending", "GET / HTTP/1.1\rHost: a\r\n\r\n"));
        c.add(same("bare CR starting a line", "GET / HTTP/1.1\r\nX: a\r\n\rGET /hidden HTTP/1.1\r\n\r\n"));
        c.add(differs("bare CR with no LF yet", "GET / HTTP/1.1\rHost: a\r\r\n", Difference.WHOLE_SECTION_FIRST));
        // ---- header fields
        c.add(same("empty value", "GET / HTTP/1.1\r\nX-Empty:\r\n" + H + "\r\n"));
        c.add(same("padded value", "GET / HTTP/1.1\r\nX: \t a b \t\r\n" + H + "\r\n"));
        c.add(same("obs-text in a value", "GET / HTTP/1.1\r\nX: caf\u00e9\u00ff\r\n" + H + "\r\n"));
        c.add(differs("obs-fold", "GET / HTTP/1.1\r\nX: a\r\n b\r\n" + H + "\r\n", Difference.OBS_FOLD));
        c.add(differs("obs-fold with a tab", "GET / HTTP/1.1\r\nX: a\r\n\tb\r\n" + H + "\r\n", Difference.OBS_FOLD));
        c.add(same("fold as the first header", "GET / HTTP/1.1\r\n b\r\n" + H + "\r\n"));
        c.add(same("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"));
        c.add(same("tab before the colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n"));
        c.add(same("space inside a name", "GET / HTTP/1.1\r\nX Y: a\r\n" + H + "\r\n"));
        c.add(same("line without a colon", "GET / HTTP/1.1\r\nNoColon\r\n" + H + "\r\n"));
        c.add(same("empty name", "GET / HTTP/1.1\r\n: a\r\n" + H + "\r\n"));
        c.add(same("non-token byte in a name", "GET / HTTP/1.1\r\nX(a): a\r\n" + H + "\r\n"));
        c.add(same("byte 0xe9 in a name", "GET / HTTP/1.1\r\nX\u00e9: a\r\n" + H + "\r\n"));
        c.add(same("NUL in a value", "GET / HTTP/1.1\r\nX: a\u0000b\r\n" + H + "\r\n"));
        c.add(same("vertical tab in a value", "GET / HTTP/1.1\r\nX: a\u000bb\r\n" + H + "\r\n"));
        c.add(same("DEL in a value", "GET / HTTP/1.1\r\nX: a\u007fb\r\n" + H + "\r\n"));
        c.add(same("form feed ending a value", "GET / HTTP/1.1\r\nX: a\u000c\r\n" + H + "\r\n"));
        c.add(same("colon in a value", "GET / HTTP/1.1\r\nX: a:b::\r\n" + H + "\r\n"));
        c.add(same("repeated header", "GET / HTTP/1.1\r\nX: 1\r\nx: 2\r\n" + H + "\r\n"));
        c.add(same("header of 10000 bytes", "GET / HTTP/1.1\r\nX: " + "v".repeat(10000) + "\r\n" + H + "\r\n"));
        c.add(same("headers of 20000 bytes", "GET / HTTP/1.1\r\nX: " + "v".repeat(20000) + "\r\n" + H + "\r\n"));
        c.add(same("200 headers", "GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(200) + H + "\r\n"));
        // ---- Content-Length
        c.add(same("body by Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello"));
        c.add(same("Content-Length 0", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n"));
        c.add(same("body cut short", "POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\nhello"));
        c.add(same("Content-Length with spaces", "POST / HTTP/1.1\r\n" + H + "Content-Length:  5 \r\n\r\nhello"));
        c.add(same("Content-Length with a plus", "POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\nhello"));
        c.add(same("negative Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -5\r\n\r\nhello"));
        c.add(same("hex Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\nhello"));
        c.add(same("empty Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n"));
        c.add(same("Content-Length: 35,", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5,\r\n\r\nhello"));
        c.add(same("Content-Length: ,5", "POST / HTTP/1.1\r\n" + H + "Content-Length: ,5\r\n\r\nhello"));
        c.add(differs("Content-Length: 5, 5", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\nhello", Difference.DUPLICATE_CONTENT_LENGTH));
        c.add(same("Content-Length: 5, 6", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\nhello"));
        c.add(same("Content-Length: 5 5", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5 5\r\n\r\nhello"));
        c.add(differs("two equal Content-Lengths", "POST / HTTP/1.1\r\n" + H
                + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", Difference.DUPLICATE_CONTENT_LENGTH));
        c.add(same("two different Content-Lengths", "POST / HTTP/1.1\r\n" + H
                + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
        c.add(same("19-digit Content-Length", "POST / HTTP/1.1\r\n" + H
                + "Content-Length: 9999999999999999999\r\n\r\nhello"));
        c.add(same("Content-Length on GET", "GET / HTTP/1.1\r\n" + H + "Content-Length: 2\r\n\r\nhi"));
        // ---- Transfer-Encoding
        String te = "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n";
        c.add(same("chunked body", te + "5\r\nhello\r\n0\r\n\r\n"));
        c.add(same("chunked with upper-case hex", te + "A\r\n0123456789\r\n0\r\n\r\n"));
        c.add(same("chunked in capitals", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: Chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"));
        c.add(differs("chunk extension", te + "5;name=value\r\nhello\r\n0\r\n\r\n", Difference.CHUNK_EXTENSION));
        c.add(differs("non-token byte in a chunk extension", te + "5;e(x\r\nhello\r\n0\r\n\r\n",
                Difference.CHUNK_EXTENSION));
        c.add(same("extension on the last chunk", te + "5\r\nhello\r\n0;last\r\n\r\n"));
        c.add(same("extension without a value", te + "5;a\r\nhello\r\n0\r\n\r\n"));
        c.add(differs("space in a chunk extension", te + "5;a= b\r\nhello\r\n0\r\n\r\n", Difference.CHUNK_EXTENSION));
        c.add(same("NUL in a chunk extension", te + "5;a\u0000\r\nhello\r\n0\r\n\r\n"));
        c.add(same("chunk extension after whitespace", te + "5 ;name\r\nhello\r\n0\r\n\r\n"));
        c.add(same("quoted chunk extension", te + "5;n=\"a;b\"\r\nhello\r\n0\r\n\r\n"));
        c.add(same("garbage after the chunk size", te + "5x\r\nhello\r\n0\r\n\r\n"));
        c.add(same("empty chunk size", te + "\r\nhello\r\n0\r\n\r\n"));
        c.add(same("negative chunk size", te + "-5\r\nhello\r\n0\r\n\r\n"));
        c.add(same("chunk size with 0x", te + "0x5\r\nhello\r\n0\r\n\r\n"));
        c.add(differs("chunk size 8 hex digits", te + "FFFFFFFF\r\nhello", Difference.CHUNK_SIZE_RANGE));
        c.add(same("chunk size 16 hex digits", te + "FFFFFFFFFFFFFFFF\r\nhello"));
        c.add(same("chunk size 17 hex digits", te + "1FFFFFFFFFFFFFFFF\r\nhello"));
        c.add(same("chunk size 0000", te + "5\r\nhello\r\n0000\r\n\r\n"));
        c.add(same("chunk size 7FFFFFFF", te + "7FFFFFFF\r\nhello"));
        c.add(differs("chunk size 80000000", te + "80000000\r\nhello", Difference.CHUNK_SIZE_RANGE));
        c.add(same("chunk size with leading zeros", te + "0000000000000000005\r\nhello\r\n0\r\n\r\n"));
        c.add(same("chunk data longer than its size", te + "3\r\nhello\r\n0\r\n\r\n"));
        c.add(same("chunk data with bare LF after it", te + "5\r\nhello\n0\r\n\r\n"));
        c.add(differs("chunk size line with bare LF", te + "5\nhello\r\n0\n\n", Difference.BARE_LF));
        c.add(same("trailers", te + "5\r\nhello\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\n"));
        c.add(same("framing trailers dropped", te + "0\r\nContent-Length: 5\r\nTrailer: X\r\nX: 1\r\n\r\n"));
        c.add(differs("obs-fold in trailers", te + "0\r\nX: 1\r\n 2\r\n\r\n", Difference.OBS_FOLD));
        c.add(same("bad trailer name", te + "0\r\nX Y: 1\r\n\r\n"));
        c.add(same("chunked body cut short", te + "5\r\nhel"));
        c.add(differs("gzip, chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", Difference.TRANSFER_CODING));
        c.add(differs("chunked, gzip", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", Difference.TRANSFER_CODING));
        c.add(differs("Transfer-Encoding gzip alone", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", Difference.TRANSFER_CODING));
        c.add(differs("Transfer-Encoding identity", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\n", Difference.TRANSFER_CODING));
        c.add(differs("chunked twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Difference.TRANSFER_CODING));
        c.add(differs("chunked with trailing comma", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked,\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", Difference.TRANSFER_CODING));
        c.add(differs("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\n" + H
                + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Difference.TE_WITH_CONTENT_LENGTH));
        c.add(differs("Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\n" + H
                + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Difference.TE_WITH_CONTENT_LENGTH));
        c.add(differs("chunked on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", Difference.HTTP10_TRANSFER_ENCODING));
        c.add(same("Expect 100-continue", "POST / HTTP/1.1\r\n" + H
                + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"));
        return c;
    }

    private static Case same(String name, String raw) {
        return new Case(name, raw, null);
    }

    private static Case differs(String name, String raw, Difference expected) {
        return new Case(name, raw, expected);
    }
}
