package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.Failures;
import dev.ramp.gateway.proxy.GatewayError;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteDecision;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.http1.ClientCodec;
import dev.ramp.gateway.routing.Version;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection: reads requests one at a time (pipelined ones wait their turn), routes each, decides
 * its version (its {@link RequestRouter}) and hands it to an {@link Exchange}. Answers what the gateway answers
 * itself (404, 400, 405, malformed requests) with a {@link GatewayError}. After a WebSocket upgrade it only
 * counts the connection: a {@link Tunnel} moves its bytes. Its flow control (reading paused and resumed,
 * upstream writes flushed per read burst, the gateway's own writes) is {@link ClientFlow}'s. Confined to its
 * event loop.
 */
final class FrontHandler extends ClientFlow implements Loop.Client {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FrontHandler.class);
    private static final int MAX_PIPELINED = 64;

    private ClientCodec.Decoder decoder;
    private String peer;
    /** Routes this connection's requests; made when the connection (or stream) becomes active. */
    private RequestRouter router;
    /** The exchange of the request being served, until both its request and its response are complete. */
    private Exchange current;
    /** The connection was upgraded (101): from then on its bytes go through this tunnel. */
    private Tunnel tunnel;
    /** The body of a request the gateway answered itself, read and dropped until its end. */
    private boolean discarding;
    /** A malformed request was answered: everything else is dropped until the connection closes. */
    private boolean closing;
    private boolean closeWhenIdle;
    private ArrayDeque<Object> pipelined;
    /** Whether the request being answered is a HEAD: its response goes out without a body. */
    private boolean answeringHead;

    FrontHandler(Loop loop) {
        this(loop, null);
    }

    /** @param stream the HTTP/2 connection whose stream this handler serves, or null for HTTP/1.1 */
    FrontHandler(Loop loop, Http2Front stream) {
        super(loop, stream);
    }

    boolean answeringHead() {
        return answeringHead;
    }

    @Override
    void activate(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        decoder = ctx.pipeline().get(ClientCodec.Decoder.class);
        if (ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            peer = a.getAddress().getHostAddress(); // an HTTP/2 stream answers its connection's address
        }
        router = new RequestRouter(this, loop, peer);
        opened(ch);
        if (stream != null) {
            stream.opened(this);
        } else {
            loop.opened(this);
        }
        if (loop.shuttingDown() && stream == null) {
            ch.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.closed(this);
        } else {
            loop.closed(this);
        }
        Exchange e = current;
        if (e != null) {
            current = null;
            e.clientGone();
        }
        if (pipelined != null) {
            pipelined.forEach(ReferenceCountUtil::release);
            pipelined.clear();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            log.warn("client connection closed on an unexpected error", cause); // a bug, never a client's doing
        }
        ctx.close(); // a reset client; the exchange learns of it in channelInactive
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readStarted();
        if (pipelined != null && !pipelined.isEmpty()) {
            queue(msg);
            return;
        }
        dispatch(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = current;
        if (e != null) {
            e.clientWritabilityChanged(channel().isWritable());
        }
    }

    private void queue(Object msg) {
        if (pipelined == null) {
            pipelined = new ArrayDeque<>();
        }
        pipelined.add(msg);
        if (pipelined.size() > MAX_PIPELINED) {
            pause(PAUSE_PIPELINE);
        }
    }

    private void dispatch(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (current != null || discarding) {
                queue(msg);
                return;
            }
            DecoderResult dr = req.decoderResult();
            if (dr.isFailure()) {
                ReferenceCountUtil.release(msg);
                malformed(dr.cause());
                return;
            }
            onRequest(req);
            if (msg instanceof HttpContent c) {
                content(c);
            }
            return;
        }
        if (msg instanceof HttpContent c) {
            if (c.decoderResult().isFailure()) {
                c.release();
                Exchange e = current;
                if (e != null) {
                    current = null;
                    e.clientGone(); // a broken body must not reach the upstream as if complete
                }
                malformed(c.decoderResult().cause());
                return;
            }
            content(c);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void content(HttpContent c) {
        Exchange e = current;
        if (e != null && !e.requestDone()) {
            e.onRequestContent(c);
            return;
        }
        c.release();
        if (discarding && c instanceof LastHttpContent) {
            discarding = false;
            next();
        }
    }

    /** Routes the request ({@link RequestRouter}), which answers it or starts its exchange. */
    private void onRequest(HttpRequest req) {
        answeringHead = req.method() == HttpMethod.HEAD;
        router.route(req);
    }

    /** The request's exchange starts: it is current until both its request and its response are complete. */
    void begin(Exchange e) {
        current = e;
        if (e.upgrade()) {
            pause(PAUSE_UPGRADE);
        }
    }

    /** {@code 100 Continue} for a client that waits for it before sending its body. */
    void writeContinue() {
        Channel ch = channel();
        ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER), ch.voidPromise());
    }

    /** The exchange's response is complete (relayed or answered); the next request may start once its body is read. */
    void exchangeFinished(ExchangeAnswer e, boolean closeConnection) {
        if (current != e) {
            return;
        }
        if (closeConnection || !e.clientKeepAlive()) {
            current = null;
            closing = true;
            closeAfterWrites();
            return;
        }
        if (e.requestDone()) {
            current = null;
            next();
        }
    }

    /**
     * The upstream answered {@code e}'s upgrade request with 101 ({@code answer}, rewritten for the client): the
     * connection becomes a {@link Tunnel} to {@code up}, and reading is the tunnel's business from here on.
     */
    void tunnel(ExchangeAnswer e, UpstreamConnection up, HttpResponse answer, LiveRoute route, Version version) {
        if (current != e) {
            return;
        }
        current = null;
        forgetPauses();
        tunnel = Tunnel.open(this, decoder, up, answer, route, version);
        decoder = null;
        if (closeWhenIdle || loop.shuttingDown()) {
            tunnel.close("the gateway is draining"); // as a tunnel open when the drain began
        }
    }

    /** The request's body ended after its response did. */
    void requestBodyDone(Exchange e) {
        if (current == e && e.responded()) {
            current = null;
            next();
        }
    }

    /** Starts the next pipelined request, if any; otherwise resumes reading. */
    private void next() {
        if (closeWhenIdle || loop.shuttingDown()) {
            closing = true;
            closeAfterWrites();
            return;
        }
        ArrayDeque<Object> q = pipelined;
        if (q != null) {
            Object m;
            while (!closing && (m = q.peek()) != null) {
                if (m instanceof HttpRequest && (current != null || discarding)) {
                    break; // the next request waits until this one is complete
                }
                q.poll();
                dispatch(m);
            }
            if (q.isEmpty()) {
                resume(PAUSE_PIPELINE);
            }
        }
    }

    @Override
    public void closeWhenIdle() {
        closeWhenIdle = true;
        if (current == null && !discarding) {
            channel().close();
        }
    }

    @Override
    public void sweep(long now) {
        if (tunnel != null) {
            tunnel.sweep(now); // neither the client idle timeout nor the request timeouts apply to a tunnel
            return;
        }
        if (decoder != null && decoder.headTimedOut(now, loop.headerTimeoutNanos)) {
            channel().close(); // a head trickled in (slowloris): limits.header-timeout
            return;
        }
        Exchange e = current;
        if (e != null) {
            if (!e.requestDone() && !paused() && now - lastActivity() > loop.bodyTimeoutNanos) {
                channel().close(); // a body that stalls holds an upstream connection too: limits.body-timeout
                return;
            }
            e.sweep(now);
        } else if (loop.clientIdleNanos > 0 && now - lastActivity() > loop.clientIdleNanos) {
            channel().close();
        }
    }

    /** The client's address (an IP literal), or null when unknown. */
    String peer() {
        return peer;
    }

    void answer(HttpRequest req, boolean keepAlive, boolean bodyFollows, GatewayError error, String route,
                        String message) {
        boolean close = !keepAlive || closeWhenIdle || loop.shuttingDown();
        writeError(error, route, message, req.protocolVersion(), close);
        if (close) {
            closing = true;
            closeAfterWrites();
        } else if (bodyFollows) {
            discarding = true;
        }
    }

    /** A request the decoder rejected: JSON 400/414/431, then the connection is closed. */
    private void malformed(Throwable cause) {
        answeringHead = false;
        Failures.Failure f = Failures.malformed(cause);
        writeError(f.error(), null, f.message(), HttpVersion.HTTP_1_1, true);
        closing = true;
        closeAfterWrites();
    }
}
