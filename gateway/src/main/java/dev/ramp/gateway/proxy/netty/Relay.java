package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.http1.Headers;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The answer half of an {@link Exchange}: relays the current attempt's response to the client as it arrives,
 * head rewritten in place ({@link ForwardedHeaders}) and body buffers passed through without copies. Interim
 * 1xx answers are dropped; a small whole response is coalesced into one write; the upstream stops being read
 * while the client cannot take more. The exchange decides what a response head means (relay it, or fall back
 * on its status) and what happens at its end. Confined to the event loop.
 */
final class Relay {
    private final Exchange exchange;
    private final FrontHandler front;
    /** The response head reached the client (or is held for it): no other attempt may answer. */
    boolean headSent;
    int status;
    /** The client connection closes after this response. */
    boolean closeAfterResponse;
    /**
     * The relayed response head, held until its first body piece (or the end of the upstream's read burst) so
     * that a small whole response is encoded into one buffer and written once.
     */
    private HttpResponse pendingHead;
    private boolean skipInformationalEnd;

    Relay(Exchange exchange, FrontHandler front) {
        this.exchange = exchange;
        this.front = front;
    }

    /** A message of the current attempt's response. */
    void onUpstream(UpstreamConnection u, Object msg) {
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                exchange.failUpstream(r.decoderResult().cause());
                return;
            }
            int st = r.status().code();
            if (st < 200 && st != 101) {
                skipInformationalEnd = true; // 1xx: the final response follows
                ReferenceCountUtil.release(msg);
                return;
            }
            if (exchange.replacedOnStatus(u, r, st)) {
                return;
            }
            u.keepAlive = Headers.keepAlive(r);
            closeAfterResponse = exchange.rewriteResponseHead(r, st);
            headSent = true;
            status = st;
            pendingHead = r;
            u.flushClientLater(front.channel());
            if (r instanceof LastHttpContent) {
                // A whole small response from the decoder: relayed as it is.
                pendingHead = null;
                Channel client = front.channel();
                client.write(r, client.voidPromise());
                exchange.finishResponse(u);
            }
            return;
        }
        if (msg instanceof HttpContent c) {
            content(u, c);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void content(UpstreamConnection u, HttpContent c) {
        if (skipInformationalEnd) {
            c.release();
            if (c instanceof LastHttpContent) {
                skipInformationalEnd = false;
            }
            return;
        }
        if (!headSent) {
            c.release();
            return;
        }
        if (c.decoderResult().isFailure()) {
            c.release();
            exchange.failUpstream(c.decoderResult().cause());
            return;
        }
        Channel client = front.channel();
        HttpResponse h = pendingHead;
        if (h != null && c instanceof LastHttpContent last) {
            // The whole response arrived in one burst: head and body go out as one message.
            pendingHead = null;
            client.write(new DefaultFullHttpResponse(h.protocolVersion(), h.status(), last.content(),
                    h.headers(), last.trailingHeaders()), client.voidPromise());
        } else {
            emitPendingHead();
            client.write(c, client.voidPromise());
        }
        u.flushClientLater(client);
        if (c instanceof LastHttpContent) {
            exchange.finishResponse(u);
        } else if (!client.isWritable()) {
            u.channel.config().setAutoRead(false);
        }
    }

    /** Writes a head still held back (the upstream's read burst ended before any of its body). */
    void emitPendingHead() {
        HttpResponse h = pendingHead;
        if (h != null) {
            pendingHead = null;
            Channel client = front.channel();
            client.write(h, client.voidPromise());
        }
    }
}
