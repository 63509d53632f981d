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
 * on its status) and what happens at its end. Stateless: the state of the answer lives in the exchange's
 * fields, so relaying allocates nothing per request. Confined to the event loop.
 */
final class Relay {
    private Relay() {}

    /** A message of the current attempt's response. */
    static void onUpstream(Exchange exchange, UpstreamConnection u, Object msg) {
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                exchange.failUpstream(r.decoderResult().cause());
                return;
            }
            int st = r.status().code();
            if (st < 200 && st != 101) {
                exchange.skipInformationalEnd = true; // 1xx: the final response follows
                ReferenceCountUtil.release(msg);
                return;
            }
            if (exchange.replacedOnStatus(u, r, st)) {
                return;
            }
            u.keepAlive = Headers.keepAlive(r);
            exchange.closeAfterResponse = exchange.rewriteResponseHead(r, st);
            exchange.headSent = true;
            exchange.status = st;
            exchange.pendingHead = r;
            u.flushClientLater(exchange.front.channel());
            if (r instanceof LastHttpContent) {
                // A whole small response from the decoder: relayed as it is.
                exchange.pendingHead = null;
                Channel client = exchange.front.channel();
                client.write(r, client.voidPromise());
                exchange.finishResponse(u);
            }
            return;
        }
        if (msg instanceof HttpContent c) {
            content(exchange, u, c);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private static void content(Exchange exchange, UpstreamConnection u, HttpContent c) {
        if (exchange.skipInformationalEnd) {
            c.release();
            if (c instanceof LastHttpContent) {
                exchange.skipInformationalEnd = false;
            }
            return;
        }
        if (!exchange.headSent) {
            c.release();
            return;
        }
        if (c.decoderResult().isFailure()) {
            c.release();
            exchange.failUpstream(c.decoderResult().cause());
            return;
        }
        Channel client = exchange.front.channel();
        HttpResponse h = exchange.pendingHead;
        if (h != null && c instanceof LastHttpContent last) {
            // The whole response arrived in one burst: head and body go out as one message.
            exchange.pendingHead = null;
            client.write(new DefaultFullHttpResponse(h.protocolVersion(), h.status(), last.content(),
                    h.headers(), last.trailingHeaders()), client.voidPromise());
        } else {
            emitPendingHead(exchange);
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
    static void emitPendingHead(Exchange exchange) {
        HttpResponse h = exchange.pendingHead;
        if (h != null) {
            exchange.pendingHead = null;
            Channel client = exchange.front.channel();
            client.write(h, client.voidPromise());
        }
    }
}
