package dev.ramp.gateway.proxy.http1;

import static dev.ramp.gateway.proxy.http1.Lines.CR;
import static dev.ramp.gateway.proxy.http1.Lines.LF;
import static dev.ramp.gateway.proxy.http1.Lines.lineEnd;
import static dev.ramp.gateway.proxy.http1.Lines.next;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
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
 * with both Transfer-Encoding and Content-Length are all rejected instead of
 * relayed. Bytes from 0x80 up in values (obs-text) are relayed unchanged.
 *
 * <p>This class is the state machine and the body framing (fixed length, chunked, until the close); the first
 * line is read by {@link StartLines}, header fields by {@link HeaderFields}, the framing headers by
 * {@link Framing}. What it accepts, its limits and how it differs from Netty's decoder: docs/design/http1.md.
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

    private static final int HEAD = 0;
    private static final int FIXED = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_END = 4;
    private static final int TRAILERS = 5;
    private static final int UNTIL_CLOSE = 6;
    private static final int BAD = 7;
    /**
     * After a WebSocket upgrade request, or a 101 response: the bytes that follow may not be HTTP, so they are
     * held, not decoded, until the handler either removes the decoder (then they are passed on as they are,
     * {@code ByteToMessageDecoder#handlerRemoved}) or the connection closes.
     */
    private static final int HELD = 8;

    private final AsciiString[][] commonNames;
    private final boolean requests;
    private final Framing framing = new Framing();
    private int state = HEAD;
    /** The last response head had both Transfer-Encoding and Content-Length, or Transfer-Encoding on HTTP/1.0. */
    private boolean faultyFraming;
    /** Bytes of the head or trailer section being read that were already searched for its end. */
    private int scanned;
    private final int maxHeaderCount;
    /** A head has started arriving and is not complete; how many heads were complete so far. */
    private boolean headPending;
    private int headsRead;
    /** When the periodic check first saw the pending head (its clock), and how many heads were read then. */
    private long pendingSeen;
    private int headsAtSeen;
    /** Body bytes left in a FIXED body or in the current chunk. */
    private long remaining;

    /**
     * @param requests    whether this decodes requests (from clients) rather than responses (from upstreams)
     * @param commonNames header names, grouped by length, that are shared instead
     *                    of viewed when a head spells them exactly so ({@link CommonNames#byLength})
     */
    Http1Decoder(boolean requests, AsciiString[][] commonNames) {
        this(requests, commonNames, Integer.MAX_VALUE);
    }

    /** @param maxHeaderCount more header fields in a head: rejected (431) */
    Http1Decoder(boolean requests, AsciiString[][] commonNames, int maxHeaderCount) {
        this.requests = requests;
        this.commonNames = commonNames;
        this.maxHeaderCount = maxHeaderCount;
    }

    /**
     * Whether a head has been arriving for longer than {@code timeoutNanos}, for a check run periodically on
     * the channel's event loop with its clock {@code now}: the time counts from the first check that saw the
     * head pending, so the data path reads no clock per request; it fires up to two check periods late,
     * never early. A client that trickles a head (slowloris) is cut off this way.
     */
    public final boolean headTimedOut(long now, long timeoutNanos) {
        if (!headPending) {
            pendingSeen = 0;
            return false;
        }
        if (pendingSeen == 0 || headsAtSeen != headsRead) {
            pendingSeen = now;
            headsAtSeen = headsRead;
            return false;
        }
        return now - pendingSeen > timeoutNanos;
    }

    /**
     * Whether the last response's framing was faulty (Transfer-Encoding with Content-Length, or on HTTP/1.0):
     * it is read by Transfer-Encoding, but its connection must not carry another message.
     */
    public final boolean faultyFraming() {
        return faultyFraming;
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
                case HELD -> { }
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
        headPending = true;
        if (scanned == 0) {
            Lines.skipEmptyLines(in); // RFC 9112 2.2: empty lines before a request line are ignored
            if (requests && in.isReadable()) {
                StartLines.requestStart(in.getByte(in.readerIndex()));
            }
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
        headPending = false;
        headsRead++;
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
        HeaderFields.parse(h, next(h, lineEnd), headers, f, false, requests, commonNames);
        if (headers.size() > maxHeaderCount) {
            throw new TooLongFrameException("more than " + maxHeaderCount + " header fields");
        }
        HttpMessage m;
        boolean noBody;
        if (requests) {
            // Neither Content-Length nor Transfer-Encoding: no body, so the request is one whole message.
            boolean bare = !f.transferEncoding && f.length < 0;
            m = StartLines.request(h, lineEnd, headers, bare);
            if (f.transferEncoding && m.protocolVersion() == HttpVersion.HTTP_1_0) {
                // RFC 9112 6.1: faulty framing; an HTTP/1.0 hop behind us may read the body as the next request
                throw new BadMessage("HTTP/1.0 request with Transfer-Encoding (RFC 9112 6.1: its framing is faulty)");
            }
            f.check(true);
            f.checkHost(m.protocolVersion() == HttpVersion.HTTP_1_1);
            noBody = !f.chunked && f.length <= 0;
        } else {
            HttpVersion version = StartLines.version(h, 0, Math.min(8, lineEnd));
            HttpResponseStatus status = StartLines.status(h, lineEnd);
            int code = status.code();
            f.check(false);
            // RFC 9112 6.1, 6.3: framing a sender got wrong; the message is read, the connection never reused
            faultyFraming = f.transferEncoding && (f.sawLength || version == HttpVersion.HTTP_1_0);
            noBody = code < 200 || code == 204 || code == 304 || answersHead() || !f.chunked && f.length == 0;
            if (!noBody && !f.chunked && f.length > 0 && f.length <= MAX_CHUNK && in.readableBytes() >= f.length
                    && !f.duplicateLength && !f.nonCanonicalLength) {
                // A fixed body already read with its head (a small response): one whole message, one pass
                // through the pipeline, relayed as it is.
                out.add(new DefaultFullHttpResponse(version, status, in.readRetainedSlice((int) f.length), headers,
                        EmptyHttpHeaders.INSTANCE));
                return;
            }
            m = new DefaultHttpResponse(version, status, headers);
        }
        f.relayedLength(headers);
        if (!noBody && !f.chunked && f.length < 0) {
            state = UNTIL_CLOSE; // a response without a length: its body ends when the connection does
            out.add(m);
            return;
        }
        out.add(m);
        if (requests ? Upgrades.webSocket((HttpRequest) m)
                     : ((HttpResponse) m).status().code() == 101) {
            state = HELD;
        }
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
        long size = Chunks.size(in, MAX_LINE);
        if (size > 0) {
            remaining = size;
            state = CHUNK_DATA;
        } else if (size == 0) {
            state = TRAILERS;
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
        if (Chunks.dataEnd(in)) {
            state = CHUNK_SIZE;
        }
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
        HeaderFields.parse(h, 0, trailers, framing, true, requests, commonNames);
        state = HEAD;
        out.add(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
    }
}
