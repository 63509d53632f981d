package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Fallback;
import dev.ramp.gateway.proxy.FallbackPolicy;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * What an {@link Exchange} holds of its request body: pieces that arrived before an upstream connection
 * was attached (sent in order once it is), and the copy kept for a replay on stable while
 * {@link FallbackPolicy} allows one. The copy shares the received buffers (retained duplicates), it does not
 * copy bytes. Both are released as soon as they cannot be needed. Confined to the event loop.
 */
final class BodyBuffers {
    /**
     * For requests without a body: nothing is ever queued or copied (their one message goes upstream whole),
     * so one shared instance with nothing in it serves them all.
     */
    static final BodyBuffers NONE = new BodyBuffers();

    private ArrayDeque<HttpContent> queued;
    private CompositeByteBuf replay;
    private long kept;

    /**
     * Keeps a copy of {@code c}'s bytes for a replay. Returns false, and drops the copy, when they would take it
     * over {@code max-replay-body}: the request can no longer be replayed.
     */
    boolean copy(HttpContent c, Fallback settings) {
        int n = c.content().readableBytes();
        if (n == 0) {
            return true;
        }
        if (!FallbackPolicy.fits(settings, kept, n)) {
            releaseReplay();
            return false;
        }
        if (replay == null) {
            replay = c.content().alloc().compositeBuffer(64);
        }
        replay.addComponent(true, c.content().retainedDuplicate());
        kept += n;
        return true;
    }

    /** Holds a piece until an upstream connection is attached. */
    void queue(HttpContent c) {
        if (queued == null) {
            queued = new ArrayDeque<>(4);
        }
        queued.add(c);
    }

    /**
     * Writes {@code request}'s head to {@code c}, a new attempt's connection, then its body as far as it is here:
     * the whole kept copy when {@code replay} (the body already went to an earlier attempt), else the pieces
     * held so far, in order. Returns true when the request's end went with them.
     */
    boolean sendRequest(FrontHandler front, Channel c, HttpRequest request, boolean replay) {
        front.writeUpstream(c, request);
        if (replay) {
            front.writeUpstream(c, replayed());
            return true;
        }
        return drainTo(front, c);
    }

    /** Writes the held pieces to {@code c} in order; true when the request's end was among them. */
    private boolean drainTo(FrontHandler front, Channel c) {
        boolean last = false;
        HttpContent m;
        while ((m = poll()) != null) {
            front.writeUpstream(c, m);
            last |= m instanceof LastHttpContent;
        }
        return last;
    }

    /** The next held piece, in arrival order, or null. */
    HttpContent poll() {
        return queued == null ? null : queued.poll();
    }

    /** The whole kept body as the last content of a replayed request (the copy stays kept). */
    private LastHttpContent replayed() {
        return replay == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(replay.retainedDuplicate());
    }

    void releaseQueued() {
        HttpContent c;
        while ((c = poll()) != null) {
            c.release();
        }
    }

    void releaseReplay() {
        CompositeByteBuf r = replay;
        if (r != null) {
            replay = null;
            r.release();
        }
    }
}
