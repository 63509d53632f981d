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
import io.netty.channel.ChannelFutureListener;
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
 * counts the connection: a {@link Tunnel} moves its bytes. Confined to its event loop.
 */
final class FrontHandler extends ClientHandler implements Loop.Client {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FrontHandler.class);
    /** Reasons to stop reading from the client, as bits: reading resumes when none is left. */
    static final int PAUSE_UPSTREAM = 1;
    static final int PAUSE_CONNECT = 2;
    static final int PAUSE_PIPELINE = 4;
    /** An upgrade request waits for its answer: what the client sends meanwhile is held, so little is read. */
    static final int PAUSE_UPGRADE = 8;
    private static final int MAX_PIPELINED = 64;

    private final Loop loop;
    /** The HTTP/2 connection this handler serves one stream of; null on an HTTP/1.1 connection. */
    private final Http2Front stream;
    private Channel ch;
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
    private int pauses;
    private boolean reading;
    private Channel pendingUpstreamFlush;
    /** Whether the request being answered is a HEAD: its response goes out without a body. */
    private boolean answeringHead;
    private long lastActivity;

    FrontHandler(Loop loop) {
        this(loop, null);
    }

    /** @param stream the HTTP/2 connection whose stream this handler serves, or null for HTTP/1.1 */
    FrontHandler(Loop loop, Http2Front stream) {
        this.loop = loop;
        this.stream = stream;
    }

    @Override
    public Channel channel() {
        return ch;
    }

    Loop loop() {
        return loop;
    }

    /** When the client last sent something (loop clock). */
    long lastActivity() {
        return lastActivity;
    }

    boolean answeringHead() {
        return answeringHead;
    }

    @Override
    void activate(ChannelHandlerContext ctx) {
        ch = ctx.channel();
        decoder = ctx.pipeline().get(ClientCodec.Decoder.class);
        if (ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            peer = a.getAddress().getHostAddress(); // an HTTP/2 stream answers its connection's address
        }
        router = new RequestRouter(this, loop, peer);
        lastActivity = System.nanoTime();
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
        reading = true;
        lastActivity = loop.now();
        if (pipelined != null && !pipelined.isEmpty()) {
            queue(msg);
            return;
        }
        dispatch(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        Channel up = pendingUpstreamFlush;
        if (up != null) {
            pendingUpstreamFlush = null;
            up.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = current;
        if (e != null) {
            e.clientWritabilityChanged(ch.isWritable());
        }
    }

    /** Writes to an upstream channel, flushed at the end of this read burst (or now, outside one). */
    void writeUpstream(Channel up, Object msg) {
        up.write(msg, up.voidPromise());
        // An HTTP/2 stream's reads end with no channelReadComplete of its own in time (Netty batches the
        // stream's read-complete with its connection's): a flush held for it would wait, so streams flush now.
        if (reading && stream == null) {
            if (pendingUpstreamFlush != null && pendingUpstreamFlush != up) {
                pendingUpstreamFlush.flush();
            }
            pendingUpstreamFlush = up;
        } else {
            up.flush();
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
        pauses = 0;
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
            ch.close();
        }
    }

    /** Closes once what was written is flushed (a stream: its frames flushed, then the stream closed). */
    void closeAfterWrites() {
        if (stream != null) {
            ch.flush(); // a stream takes frames only; its close follows the flushed writes (RST_STREAM if still open)
            ch.close();
            return;
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    void pause(int reason) {
        int before = pauses;
        pauses |= reason;
        if (before == 0 && pauses != 0) {
            ch.config().setAutoRead(false);
        }
    }

    void resume(int reason) {
        int before = pauses;
        pauses &= ~reason;
        if (before != 0 && pauses == 0) {
            lastActivity = loop.now(); // the pause was ours: the body timeout counts from here
            ch.config().setAutoRead(true);
        }
    }

    @Override
    public void sweep(long now) {
        if (tunnel != null) {
            tunnel.sweep(now); // neither the client idle timeout nor the request timeouts apply to a tunnel
            return;
        }
        if (decoder != null && decoder.headTimedOut(now, loop.headerTimeoutNanos)) {
            ch.close(); // a head trickled in (slowloris): limits.header-timeout
            return;
        }
        Exchange e = current;
        if (e != null) {
            if (!e.requestDone() && pauses == 0 && now - lastActivity > loop.bodyTimeoutNanos) {
                ch.close(); // a body that stalls holds an upstream connection too: limits.body-timeout
                return;
            }
            e.sweep(now);
        } else if (loop.clientIdleNanos > 0 && now - lastActivity > loop.clientIdleNanos) {
            ch.close();
        }
    }

    /** The client's address (an IP literal), or null when unknown. */
    String peer() {
        return peer;
    }

    /** A response the gateway produces itself, written and flushed at once. */
    void writeError(GatewayError error, String route, String message, HttpVersion version, boolean close) {
        lastActivity = loop.now();
        ch.writeAndFlush(ErrorResponses.of(error, route, message, version, close), ch.voidPromise());
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
