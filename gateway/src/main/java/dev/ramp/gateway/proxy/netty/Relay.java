package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.http1.Headers;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * The answer half of an {@link Exchange}: relays the response arriving on one upstream connection to the
 * exchange's client, head rewritten in place ({@link ForwardedHeaders}) and body buffers passed through
 * without copies. Interim 1xx answers are dropped; a small whole response is coalesced into one write; the
 * upstream stops being read while the client cannot take more. The exchange decides what a response head
 * means (relay it, or fall back on its status) and what happens at its end.
 *
 * <p>One per {@link UpstreamConnection}, reset for each exchange it serves: relaying allocates nothing per
 * request. Confined to the event loop.
 */
final class Relay {
    private final UpstreamConnection upstream;
    private boolean headSent;
    private int status;
    private boolean closesClient;
    /**
     * The relayed response head, held until its first body piece (or the end of the upstream's read burst) so
     * that a small whole response is encoded into one buffer and written once.
     */
    private HttpResponse pendingHead;
    private boolean skipInformationalEnd;
    /** Body bytes relayed to the client in this response (the access log's {@code bytesOut}). */
    private long bytesOut;

    Relay(UpstreamConnection upstream) {
        this.upstream = upstream;
    }

    /** Ready for the next exchange's response. */
    void reset() {
        headSent = false;
        status = 0;
        closesClient = false;
        pendingHead = null;
        skipInformationalEnd = false;
        bytesOut = 0;
    }

    /** Whether a response head went (or is held for) the client: no other attempt may answer. */
    boolean headSent() {
        return headSent;
    }

    /** The status of the relayed response. */
    int status() {
        return status;
    }

    /** Body bytes relayed to the client so far in this response. */
    long bytesOut() {
        return bytesOut;
    }

    /** Whether the client connection closes after this response. */
    boolean closesClient() {
        return closesClient;
    }

    /** A message of the response {@code exchange} is waiting for. */
    void onUpstream(Exchange exchange, Object msg) {
        if (msg instanceof HttpResponse r) {
            head(exchange, r);
        } else if (msg instanceof HttpContent c) {
            content(exchange, c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void head(Exchange exchange, HttpResponse r) {
        if (r.decoderResult().isFailure()) {
            ReferenceCountUtil.release(r);
            exchange.failUpstream(r.decoderResult().cause());
            return;
        }
        int st = r.status().code();
        if (st == 101 && exchange.upgrade()) {
            exchange.upgraded(upstream, r);
            return;
        }
        if (st == 101) {
            // Upgrade is a hop-by-hop header forwarded only on an upgrade request: this 101 answers nothing asked.
            ReferenceCountUtil.release(r);
            exchange.failUpstream(new IOException("upstream answered 101 Switching Protocols to a request that"
                    + " asked for no upgrade"));
            return;
        }
        if (st < 200) {
            skipInformationalEnd = true; // 1xx: the final response follows
            ReferenceCountUtil.release(r);
            return;
        }
        if (exchange.replacedOnStatus(upstream, r, st)) {
            return;
        }
        upstream.keepAlive(Headers.keepAlive(r));
        if (exchange.mirror != null) {
            exchange.mirror.stableHead(st, r); // as stable sent it (not yet rewritten), before the write releases it
        }
        closesClient = exchange.rewriteResponseHead(r, st);
        headSent = true;
        status = st;
        pendingHead = r;
        Channel client = exchange.client();
        upstream.flushClientLater(client);
        if (r instanceof LastHttpContent) {
            // A whole small response from the decoder: relayed as it is.
            pendingHead = null;
            bytesOut = ((LastHttpContent) r).content().readableBytes();
            client.write(r, client.voidPromise());
            exchange.finishResponse(upstream);
        }
    }

    private void content(Exchange exchange, HttpContent c) {
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
        if (exchange.mirror != null) {
            exchange.mirror.stableBody(c.content());
        }
        Channel client = exchange.client();
        bytesOut += c.content().readableBytes();
        HttpResponse h = pendingHead;
        if (h != null && c instanceof LastHttpContent last) {
            // The whole response arrived in one burst: head and body go out as one message.
            pendingHead = null;
            client.write(new DefaultFullHttpResponse(h.protocolVersion(), h.status(), last.content(),
                    h.headers(), last.trailingHeaders()), client.voidPromise());
        } else {
            emitPendingHead(client);
            client.write(c, client.voidPromise());
        }
        upstream.flushClientLater(client);
        if (c instanceof LastHttpContent) {
            exchange.finishResponse(upstream);
        } else if (!client.isWritable()) {
            upstream.channel.config().setAutoRead(false);
        }
    }

    /** Writes a head still held back (the upstream's read burst ended before any of its body). */
    void emitPendingHead(Channel client) {
        HttpResponse h = pendingHead;
        if (h != null) {
            pendingHead = null;
            client.write(h, client.voidPromise());
        }
    }
}
