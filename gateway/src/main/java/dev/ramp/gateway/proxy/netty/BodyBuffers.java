package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.FallbackPolicy;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * What an {@link Exchange} holds of its request body: pieces that arrived before an upstream connection
 * was attached (sent in order once it is), and the copy kept for a replay on stable while its
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

    /** Keeps a copy of {@code c}'s bytes while the policy allows a replay; drops the copy once it does not. */
    void copy(HttpContent c, FallbackPolicy policy) {
        if (policy == null || !policy.keepsBody()) {
            return;
        }
        int n = c.content().readableBytes();
        if (n == 0) {
            return;
        }
        if (!policy.keep(n)) {
            releaseReplay(); // too big to keep: this request can no longer be replayed
            return;
        }
        if (replay == null) {
            replay = c.content().alloc().compositeBuffer(64);
        }
        replay.addComponent(true, c.content().retainedDuplicate());
    }

    /** Holds a piece until an upstream connection is attached. */
    void queue(HttpContent c) {
        if (queued == null) {
            queued = new ArrayDeque<>(4);
        }
        queued.add(c);
    }

    /** The next held piece, in arrival order, or null. */
    HttpContent poll() {
        return queued == null ? null : queued.poll();
    }

    /** The whole kept body as the last content of a replayed request (the copy stays kept). */
    LastHttpContent replayed() {
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
