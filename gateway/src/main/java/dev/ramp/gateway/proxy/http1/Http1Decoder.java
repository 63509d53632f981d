package dev.ramp.gateway.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Netty engine's HTTP/1.1 decoder, for requests from clients and responses from upstreams. It produces
 * Netty's message types (a head, then {@code HttpContent}s ending in a {@code LastHttpContent}), like Netty's
 * {@code HttpObjectDecoder}, but keeps a message head as one byte array: every header name and value is an
 * {@link AsciiString} view into it, so a head costs one copy and no {@code String} per header, and the
 * encoder on the other side copies each value back out as bytes.
 *
 * <p>It is also stricter where a proxy has to be (RFC 9112): whitespace or other non-token characters in a
 * request's header name, a bare CR or other control characters in a line, obsolete line folding in a request,
 * conflicting or invalid Content-Length, a request Transfer-Encoding other than chunked, and a request
 * with both Transfer-Encoding and Content-Length are all rejected instead of relayed. Bytes from 0x80 up in values (obs-text) are relayed unchanged.
 *
 * <p>A failure is reported as Netty's decoder reports it: a message (or a last content) whose
 * {@code decoderResult()} failed, after which the rest of the connection's bytes are discarded. Confined to
 * its channel's event loop.
 */
public abstract class Http1Decoder extends ByteToMessageDecoder {
    /** The longest request or status line. */
    static final int MAX_LINE = 8192;
    /** The largest header section (and trailer section) after the first line. */
    static final int MAX_HEADERS = 16 * 1024;
    /** The largest body piece passed on at once. */
    static final int MAX_CHUNK = 64 * 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** RFC 9110 tchar: the bytes a method and a header name may contain. */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private static final int HEAD = 0;
    private static final int FIXED = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_END = 4;
    private static final int TRAILERS = 5;
    private static final int UNTIL_CLOSE = 6;
    private static final int BAD = 7;

    private final AsciiString[][] commonNames;
    private final boolean requests;
    private final Framing framing = new Framing();
    private int state = HEAD;
    /** Bytes of the head or trailer section being read that were already searched for its end. */
    private int scanned;
    /** Body bytes left in a FIXED body or in the current chunk. */
    private long remaining;

    /**
     * @param requests    whether this decodes requests (from clients) rather than responses (from upstreams)
     * @param commonNames header names, grouped by length, that are shared instead
     *                    of viewed when a head spells them exactly so ({@link #byLength})
     */
    Http1Decoder(boolean requests, AsciiString[][] commonNames) {
        this.requests = requests;
        this.commonNames = commonNames;
    }

    /** {@code names} grouped by length, for {@link #common} and the constructor. */
    static AsciiString[][] byLength(AsciiString... names) {
        int max = 0;
        for (AsciiString n : names) {
            max = Math.max(max, n.length());
        }
        AsciiString[][] table = new AsciiString[max + 1][];
        for (AsciiString n : names) {
            AsciiString[] row = table[n.length()];
            row = row == null ? new AsciiString[1] : java.util.Arrays.copyOf(row, row.length + 1);
            row[row.length - 1] = n;
            table[n.length()] = row;
        }
        return table;
    }

    /** The shared constant spelled exactly as {@code sb[start, start + length)}, or null. */
    static AsciiString common(AsciiString[][] byLength, byte[] sb, int start, int length) {
        if (length >= byLength.length || byLength[length] == null) {
            return null;
        }
        for (AsciiString name : byLength[length]) {
            if (sameBytes(name.array(), name.arrayOffset(), sb, start, length)) {
                return name;
            }
        }
        return null;
    }

    private static boolean sameBytes(byte[] a, int aStart, byte[] b, int bStart, int length) {
        for (int i = 0; i < length; i++) {
            if (a[aStart + i] != b[bStart + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the response being decoded has no body whatever its headers say (a response to HEAD). */
    protected boolean answersHead() {
        return false;
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case HEAD -> readHead(in, out);
                case FIXED -> readFixed(in, out);
                case CHUNK_SIZE -> readChunkSize(in);
                case CHUNK_DATA -> readChunkData(in, out);
                case CHUNK_END -> readChunkEnd(in);
                case TRAILERS -> readTrailers(in, out);
                case UNTIL_CLOSE -> {
                    int n = Math.min(in.readableBytes(), MAX_CHUNK);
                    if (n > 0) {
                        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
                    }
                }
                default -> in.skipBytes(in.readableBytes());
            }
        } catch (BadMessage | TooLongFrameException e) {
            fail(in, out, e);
        }
    }

    @Override
    protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == UNTIL_CLOSE) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT); // the close ends a body without a length
            state = HEAD;
        }
        // Anywhere else the message is cut short: nothing more is produced, and the channel's closing tells.
    }

    /** The head failed: report it as Netty's decoder does, then drop the rest of the connection's bytes. */
    private void fail(ByteBuf in, List<Object> out, Exception cause) {
        boolean inHead = state == HEAD;
        state = BAD;
        in.skipBytes(in.readableBytes());
        if (inHead) {
            HttpMessage m = requests
                    ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request")
                    : new DefaultFullHttpResponse(HttpVersion.HTTP_1_0, new HttpResponseStatus(999, "Unknown"));
            m.setDecoderResult(DecoderResult.failure(cause));
            out.add(m);
        } else {
            LastHttpContent c = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            c.setDecoderResult(DecoderResult.failure(cause));
            out.add(c);
        }
    }

    // ---- heads

    private void readHead(ByteBuf in, List<Object> out) {
        if (scanned == 0) {
            skipEmptyLines(in); // RFC 9112 2.2: empty lines before a request line are ignored
        }
        int end = sectionEnd(in, MAX_LINE + MAX_HEADERS);
        if (end < 0) {
            return;
        }
        int start = in.readerIndex();
        byte[] h = new byte[end - start];
        in.getBytes(start, h);
        in.readerIndex(end);
        scanned = 0;
        int lineEnd = lineEnd(h, 0);
        if (lineEnd > MAX_LINE) {
            throw new TooLongHttpLineException("An HTTP line is larger than " + MAX_LINE + " bytes.");
        }
        if (h.length - lineEnd > MAX_HEADERS + 4) {
            throw new TooLongHttpHeaderException("HTTP header is larger than " + MAX_HEADERS + " bytes.");
        }
        FlatHeaders headers = new FlatHeaders();
        Framing f = framing;
        f.reset();
        parseFields(h, next(h, lineEnd), headers, f, false);
        HttpMessage m;
        boolean noBody;
        if (requests) {
            // Neither Content-Length nor Transfer-Encoding: no body, so the request is one whole message.
            boolean bare = !f.transferEncoding && f.length < 0;
            m = request(h, lineEnd, headers, bare);
            f.check(true);
            noBody = !f.chunked && f.length <= 0;
        } else {
            HttpVersion version = version(h, 0, Math.min(8, lineEnd));
            HttpResponseStatus status = status(h, lineEnd);
            int code = status.code();
            f.check(false);
            noBody = code < 200 || code == 204 || code == 304 || answersHead() || !f.chunked && f.length == 0;
            if (!noBody && !f.chunked && f.length > 0 && f.length <= MAX_CHUNK && in.readableBytes() >= f.length
                    && !f.duplicateLength) {
                // A fixed body already read with its head (a small response): one whole message, one pass
                // through the pipeline, relayed as it is.
                out.add(new DefaultFullHttpResponse(version, status, in.readRetainedSlice((int) f.length), headers,
                        EmptyHttpHeaders.INSTANCE));
                return;
            }
            m = new DefaultHttpResponse(version, status, headers);
        }
        if (f.transferEncoding && f.sawLength) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH); // RFC 9112 6.3: Transfer-Encoding overrides it
        } else if (f.duplicateLength) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(f.length));
        }
        if (!noBody && !f.chunked && f.length < 0) {
            state = UNTIL_CLOSE; // a response without a length: its body ends when the connection does
            out.add(m);
            return;
        }
        out.add(m);
        if (noBody) {
            if (!(m instanceof LastHttpContent)) {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        } else if (f.chunked) {
            state = CHUNK_SIZE;
        } else {
            state = FIXED;
            remaining = f.length;
            readFixed(in, out);
        }
    }

    private static void skipEmptyLines(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            byte b = in.getByte(i);
            if (b != CR && b != LF) {
                break;
            }
            i++;
        }
        in.readerIndex(i);
    }

    /**
     * The index just past the empty line that ends the head (or trailer section) starting at the reader index,
     * or -1 while it has not all arrived. Remembers how far it searched, so bytes arriving one read at a time
     * are searched once.
     */
    private int sectionEnd(ByteBuf in, int max) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int from = start + scanned;
        while (true) {
            int lf = in.indexOf(from, end, LF);
            if (lf < 0 || lf + 1 == end) {
                scanned = (lf < 0 ? end : lf) - start;
                break;
            }
            byte b = in.getByte(lf + 1);
            if (b == LF) {
                return lf + 2;
            }
            if (b == CR) {
                if (lf + 2 == end) {
                    scanned = lf - start;
                    break;
                }
                if (in.getByte(lf + 2) == LF) {
                    return lf + 3;
                }
            }
            from = lf + 1;
        }
        if (scanned > max) {
            if (state == HEAD && in.indexOf(start, Math.min(end, start + MAX_LINE + 2), LF) < 0) {
                throw new TooLongHttpLineException("An HTTP line is larger than " + MAX_LINE + " bytes.");
            }
            throw new TooLongHttpHeaderException("HTTP header is larger than " + MAX_HEADERS + " bytes.");
        }
        return -1;
    }

    /**
     * The index of the CR (or lone LF) ending the line that starts at {@code from}; rejects control bytes.
     * Skips eight bytes at a time while none of them is below 0x20 or 0x7f (the usual case: one word per eight
     * bytes of a value instead of a branch per byte).
     */
    private static int lineEnd(byte[] h, int from) {
        int i = from;
        for (int last = h.length - 8; i <= last; i += 8) {
            long x = (long) LONGS.get(h, i);
            long below20 = (x - 0x2020202020202020L) & ~x & 0x8080808080808080L;
            long y = x ^ 0x7f7f7f7f7f7f7f7fL;
            long del = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
            if ((below20 | del) != 0) {
                break;
            }
        }
        for (; ; i++) {
            byte b = h[i];
            if (b == LF) {
                return i;
            }
            if (b == CR) {
                if (h[i + 1] != LF) {
                    throw new BadMessage("CR without LF in a line");
                }
                return i;
            }
            if (isControl(b)) {
                throw new BadMessage("control character 0x" + Integer.toHexString(b & 0xff) + " in a line");
            }
        }
    }

    /** A byte no line may hold: a control character other than tab (CR and LF end lines), or DEL. */
    private static boolean isControl(byte b) {
        return b != '\t' && (b & 0xff) < 0x20 || b == 0x7f;
    }

    /** The start of the line after the one ending at {@code lineEnd}. */
    private static int next(byte[] h, int lineEnd) {
        return h[lineEnd] == CR ? lineEnd + 2 : lineEnd + 1;
    }

    /**
     * Parses header (or trailer) lines from {@code p} up to the empty line into {@code headers}, noting the
     * framing headers in {@code f}.
     */
    private void parseFields(byte[] h, int p, FlatHeaders headers, Framing f, boolean trailers) {
        AsciiString lastValue = null;
        while (h[p] != CR && h[p] != LF) {
            byte first = h[p];
            if (first == ' ' || first == '\t') {
                // obs-fold (RFC 9112 5.2): a request must be rejected; a response's is replaced by a space
                if (requests || lastValue == null) {
                    throw new BadMessage("obsolete line folding in header section");
                }
                int e = lineEnd(h, p);
                AsciiString more = trim(h, p, e);
                AsciiString joined = more.isEmpty() ? lastValue : lastValue.concat(" ").concat(more);
                headers.replaceLastValue(joined);
                lastValue = joined;
                p = next(h, e);
                continue;
            }
            int ns = p;
            byte b;
            while ((b = h[p]) != ':') {
                if (!TCHAR[b & 0xff]) {
                    if (!requests && (b == ' ' || b == '\t')) {
                        // RFC 9112 5.1: a proxy removes whitespace before the colon of a response's header
                        int q = p;
                        while (h[q] == ' ' || h[q] == '\t') {
                            q++;
                        }
                        if (h[q] == ':') {
                            break;
                        }
                    }
                    throw new BadMessage(b == CR || b == LF ? "header line without a colon"
                            : "invalid character 0x" + Integer.toHexString(b & 0xff) + " in header name");
                }
                p++;
            }
            int ne = p;
            if (ne == ns) {
                throw new BadMessage("empty header name");
            }
            while (h[p] != ':') {
                p++;
            }
            int e = lineEnd(h, p + 1);
            AsciiString name = name(h, ns, ne - ns);
            AsciiString value = trim(h, p + 1, e);
            p = next(h, e);
            if (trailers && !permittedTrailer(name)) {
                lastValue = null;
                continue;
            }
            headers.add(name, value);
            lastValue = value;
            f.note(name, value);
        }
    }

    private AsciiString name(byte[] h, int start, int length) {
        AsciiString common = common(commonNames, h, start, length);
        return common != null ? common : new AsciiString(h, start, length, false);
    }

    /** The bytes {@code [start, end)} without surrounding spaces and tabs, as a view. */
    private static AsciiString trim(byte[] h, int start, int end) {
        while (start < end && (h[start] == ' ' || h[start] == '\t')) {
            start++;
        }
        while (end > start && (h[end - 1] == ' ' || h[end - 1] == '\t')) {
            end--;
        }
        return start == end ? AsciiString.EMPTY_STRING : new AsciiString(h, start, end - start, false);
    }

    private static boolean permittedTrailer(AsciiString name) {
        return !(Framing.is(name, Framing.CONTENT_LENGTH) || Framing.is(name, Framing.TRANSFER_ENCODING)
                || Framing.is(name, Framing.TRAILER));
    }

    // ---- first lines

    private static HttpRequest request(byte[] h, int lineEnd, FlatHeaders headers, boolean whole) {
        int sp1 = indexOf(h, ' ', 0, lineEnd);
        int sp2 = sp1 < 0 ? -1 : indexOf(h, ' ', sp1 + 1, lineEnd);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOf(h, ' ', sp2 + 1, lineEnd) >= 0) {
            throw new BadMessage("request line is not 'METHOD target HTTP/1.x'");
        }
        HttpMethod method = method(h, sp1);
        for (int i = sp1 + 1; i < sp2; i++) {
            if (h[i] == '\t') {
                throw new BadMessage("tab in request target");
            }
        }
        // UTF-8, because Netty's request encoder writes the target as UTF-8: raw UTF-8 bytes a client sent (not
        // valid in a target, but sent) then reach the upstream as they came instead of double-encoded.
        String uri = new String(h, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.UTF_8);
        HttpVersion version = version(h, sp2 + 1, lineEnd - sp2 - 1);
        return whole ? new DefaultFullHttpRequest(version, method, uri, Unpooled.EMPTY_BUFFER, headers,
                EmptyHttpHeaders.INSTANCE) : new DefaultHttpRequest(version, method, uri, headers);
    }

    private static HttpMethod method(byte[] h, int length) {
        for (int i = 0; i < length; i++) {
            if (!TCHAR[h[i] & 0xff]) {
                throw new BadMessage("invalid character in method");
            }
        }
        switch (length) {
            case 3:
                if (h[0] == 'G' && h[1] == 'E' && h[2] == 'T') {
                    return HttpMethod.GET;
                }
                if (h[0] == 'P' && h[1] == 'U' && h[2] == 'T') {
                    return HttpMethod.PUT;
                }
                break;
            case 4:
                if (h[0] == 'P' && h[1] == 'O' && h[2] == 'S' && h[3] == 'T') {
                    return HttpMethod.POST;
                }
                if (h[0] == 'H' && h[1] == 'E' && h[2] == 'A' && h[3] == 'D') {
                    return HttpMethod.HEAD;
                }
                break;
            default:
                break;
        }
        return HttpMethod.valueOf(new String(h, 0, length, StandardCharsets.ISO_8859_1));
    }

    private static HttpVersion version(byte[] h, int start, int length) {
        if (length == 8 && h[start] == 'H' && h[start + 1] == 'T' && h[start + 2] == 'T' && h[start + 3] == 'P'
                && h[start + 4] == '/' && h[start + 5] == '1' && h[start + 6] == '.') {
            if (h[start + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (h[start + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        throw new BadMessage("unsupported HTTP version '"
                + new String(h, start, Math.min(length, 16), StandardCharsets.ISO_8859_1) + "' (HTTP/1.0 and HTTP/1.1 only)");
    }

    private static HttpResponseStatus status(byte[] h, int lineEnd) {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (lineEnd < 12 || h[8] != ' ' || lineEnd > 12 && h[12] != ' ') {
            throw new BadMessage("status line is not 'HTTP/1.x code reason'");
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 9) {
                throw new BadMessage("status code is not three digits");
            }
            code = code * 10 + d;
        }
        if (code < 100) {
            throw new BadMessage("status code " + code + " below 100");
        }
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        int rs = Math.min(13, lineEnd);
        String phrase = known.reasonPhrase();
        int n = lineEnd - rs;
        if (n == 0) {
            return known; // no reason phrase: the standard one
        }
        if (n == phrase.length()) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = h[rs + i] == phrase.charAt(i);
            }
            if (same) {
                return known;
            }
        }
        return new HttpResponseStatus(code, new String(h, rs, n, StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] h, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (h[i] == c) {
                return i;
            }
        }
        return -1;
    }

    // ---- bodies

    private void readFixed(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), MAX_CHUNK), remaining);
        if (n == 0) {
            return;
        }
        ByteBuf piece = in.readRetainedSlice(n);
        remaining -= n;
        if (remaining == 0) {
            state = HEAD;
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE)); // no trailers after a fixed body
        } else {
            out.add(new DefaultHttpContent(piece));
        }
    }

    private void readChunkSize(ByteBuf in) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + MAX_LINE), LF);
        if (lf < 0) {
            if (in.readableBytes() >= MAX_LINE) {
                throw new BadMessage("chunk size line longer than " + MAX_LINE + " bytes");
            }
            return;
        }
        long size = 0;
        int digits = 0;
        int i = start;
        for (; i < lf; i++) {
            int d = Character.digit(in.getByte(i), 16);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw new BadMessage("chunk size too large");
            }
            size = size << 4 | d;
        }
        if (digits == 0) {
            throw new BadMessage("invalid chunk size");
        }
        // what may follow the digits: optional whitespace and ;extensions, then CRLF
        int end = in.getByte(lf - 1) == CR ? lf - 1 : lf;
        byte b = i < end ? in.getByte(i) : (byte) ';';
        if (b != ';' && b != ' ' && b != '\t') {
            throw new BadMessage("invalid chunk size");
        }
        for (int k = i; k < end; k++) {
            if (isControl(in.getByte(k))) {
                throw new BadMessage("control character in chunk extension");
            }
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            state = TRAILERS;
        } else {
            remaining = size;
            state = CHUNK_DATA;
        }
    }

    private void readChunkData(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), MAX_CHUNK), remaining);
        if (n == 0) {
            return;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        remaining -= n;
        if (remaining == 0) {
            state = CHUNK_END;
        }
    }

    private void readChunkEnd(ByteBuf in) {
        if (in.readableBytes() < 2) {
            return;
        }
        int i = in.readerIndex();
        if (in.getByte(i) != CR || in.getByte(i + 1) != LF) {
            throw new BadMessage("chunk data not followed by CRLF");
        }
        in.skipBytes(2);
        state = CHUNK_SIZE;
    }

    private void readTrailers(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (in.readableBytes() >= 1 && in.getByte(start) == LF
                || in.readableBytes() >= 2 && in.getByte(start) == CR && in.getByte(start + 1) == LF) {
            in.skipBytes(in.getByte(start) == LF ? 1 : 2); // no trailers: the usual end of a chunked body
            scanned = 0;
            state = HEAD;
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        int end = sectionEnd(in, MAX_HEADERS);
        if (end < 0) {
            return;
        }
        byte[] h = new byte[end - start];
        in.getBytes(start, h);
        in.readerIndex(end);
        scanned = 0;
        FlatHeaders trailers = new FlatHeaders();
        framing.reset();
        parseFields(h, 0, trailers, framing, true);
        state = HEAD;
        out.add(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
    }

    /** What a head's Content-Length and Transfer-Encoding headers say about its body. */
    private static final class Framing {
        static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
        static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
        static final AsciiString TRAILER = AsciiString.cached("trailer");
        static final AsciiString CHUNKED = AsciiString.cached("chunked");

        /** The body length, or -1 when there was no Content-Length. */
        long length = -1;
        /** Whether there was a Content-Length, even one Transfer-Encoding overrides. */
        boolean sawLength;
        /** Several Content-Length values (all equal): one is kept. */
        boolean duplicateLength;
        boolean transferEncoding;
        /** Whether the last transfer coding is chunked. */
        boolean chunked;
        /** How many transfer codings the Transfer-Encoding headers list. */
        int codings;

        void reset() {
            length = -1;
            sawLength = false;
            duplicateLength = false;
            transferEncoding = false;
            chunked = false;
            codings = 0;
        }

        static boolean is(AsciiString name, AsciiString lower) {
            return name.length() == lower.length() && name.contentEqualsIgnoreCase(lower);
        }

        void note(AsciiString name, AsciiString value) {
            int n = name.length();
            if (n == 14 && is(name, CONTENT_LENGTH)) {
                contentLength(value);
            } else if (n == 17 && is(name, TRANSFER_ENCODING)) {
                transferEncoding = true;
                for (int i = 0; i < value.length(); i++) {
                    if (value.byteAt(i) == ',') {
                        codings++;
                    }
                }
                codings++;
                int end = value.length();
                int comma = value.lastIndexOf(",");
                int s = comma + 1;
                while (s < end && (value.byteAt(s) == ' ' || value.byteAt(s) == '\t')) {
                    s++;
                }
                // the last header's last coding decides
                chunked = end - s == 7 && value.subSequence(s, end, false).contentEqualsIgnoreCase(CHUNKED);
            }
        }

        /** A Content-Length value: digits, or a list of equal digit strings (RFC 9110 8.6). */
        private void contentLength(AsciiString value) {
            int i = 0;
            int n = value.length();
            do {
                while (i < n && (value.byteAt(i) == ' ' || value.byteAt(i) == '\t')) {
                    i++;
                }
                long v = 0;
                int digits = 0;
                while (i < n && value.byteAt(i) >= '0' && value.byteAt(i) <= '9') {
                    if (++digits > 18) {
                        throw new BadMessage("Content-Length too large");
                    }
                    v = v * 10 + (value.byteAt(i++) - '0');
                }
                while (i < n && (value.byteAt(i) == ' ' || value.byteAt(i) == '\t')) {
                    i++;
                }
                if (digits == 0 || i < n && value.byteAt(i) != ',') {
                    throw new BadMessage("invalid Content-Length '" + value + "'");
                }
                if (length >= 0) {
                    if (v != length) {
                        throw new BadMessage("conflicting Content-Length values");
                    }
                    duplicateLength = true;
                }
                length = v;
                i++;
            } while (i < n);
        }

        void check(boolean request) {
            if (request && transferEncoding && (!chunked || codings != 1)) {
                // The body would reach the upstream still coded but labelled chunked only (nginx answers 501)
                throw new BadMessage("request Transfer-Encoding other than chunked is not supported");
            }
            if (request && transferEncoding && length >= 0) {
                // RFC 9112 6.3 lets a server reject this; it is how requests are smuggled past a proxy
                throw new BadMessage("request has both Transfer-Encoding and Content-Length");
            }
            sawLength = length >= 0;
            if (transferEncoding) {
                length = -1; // RFC 9112 6.3: it overrides Content-Length (a response's body then runs to the close)
            }
        }
    }

    /** A message that cannot be relayed; its text goes into the 400 answer (or the upstream failure). */
    static final class BadMessage extends IllegalArgumentException {
        BadMessage(String message) {
            super(message, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
