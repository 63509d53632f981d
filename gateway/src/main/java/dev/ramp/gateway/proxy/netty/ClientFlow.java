package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.GatewayError;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The flow control of one client connection (or HTTP/2 stream), apart from what its requests mean: reading
 * paused for reasons and resumed when none is left, writes to upstream connections flushed once per read burst,
 * the gateway's own answers written at once, and a close that waits for what was written. Tracks when the
 * client last sent something, for the body and idle timeouts.
 *
 * <p>Invariants: auto-read is off exactly while at least one pause reason is set (until a {@link Tunnel} takes
 * over reading); at most one upstream channel waits for its flush, and it is flushed when the read burst ends
 * or another channel is written. The base of {@link FrontHandler}: nothing here allocates per request.
 * Confined to the event loop.
 */
abstract class ClientFlow extends ClientHandler {
    /** Reasons to stop reading from the client, as bits: reading resumes when none is left. */
    static final int PAUSE_UPSTREAM = 1;
    static final int PAUSE_CONNECT = 2;
    static final int PAUSE_PIPELINE = 4;
    /** An upgrade request waits for its answer: what the client sends meanwhile is held, so little is read. */
    static final int PAUSE_UPGRADE = 8;

    final Loop loop;
    /** The HTTP/2 connection this handler serves one stream of; null on an HTTP/1.1 connection. */
    final Http2Front stream;
    private Channel ch;
    private int pauses;
    private boolean reading;
    private Channel pendingUpstreamFlush;
    private long lastActivity;

    ClientFlow(Loop loop, Http2Front stream) {
        this.loop = loop;
        this.stream = stream;
    }

    /** The client's channel (an HTTP/2 stream's child channel); null until the handler is activated. */
    public final Channel channel() {
        return ch;
    }

    /** The handler is active on {@code c}: the client's activity counts from now. */
    final void opened(Channel c) {
        ch = c;
        lastActivity = System.nanoTime();
    }

    final Loop loop() {
        return loop;
    }

    /** When the client last sent something (loop clock). */
    final long lastActivity() {
        return lastActivity;
    }

    /** A read burst starts: upstream writes wait for its end to be flushed. */
    final void readStarted() {
        reading = true;
        lastActivity = loop.now();
    }

    /** The read burst ended: flushes the upstream written to in it. */
    final void readComplete() {
        reading = false;
        Channel up = pendingUpstreamFlush;
        if (up != null) {
            pendingUpstreamFlush = null;
            up.flush();
        }
    }

    /** Writes to an upstream channel, flushed at the end of this read burst (or now, outside one). */
    final void writeUpstream(Channel up, Object msg) {
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

    final void pause(int reason) {
        int before = pauses;
        pauses |= reason;
        if (before == 0 && pauses != 0) {
            ch.config().setAutoRead(false);
        }
    }

    final void resume(int reason) {
        int before = pauses;
        pauses &= ~reason;
        if (before != 0 && pauses == 0) {
            lastActivity = loop.now(); // the pause was ours: the body timeout counts from here
            ch.config().setAutoRead(true);
        }
    }

    /** Whether reading is paused for any reason of ours. */
    final boolean paused() {
        return pauses != 0;
    }

    /** A {@link Tunnel} takes over reading: the reasons to pause are forgotten, auto-read left as it is. */
    final void forgetPauses() {
        pauses = 0;
    }

    /** Closes once what was written is flushed (a stream: its frames flushed, then the stream closed). */
    final void closeAfterWrites() {
        if (stream != null) {
            ch.flush(); // a stream takes frames only; its close follows the flushed writes (RST_STREAM if still open)
            ch.close();
            return;
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** A response the gateway produces itself, written and flushed at once. */
    final void writeError(GatewayError error, String route, String message, HttpVersion version, boolean close) {
        lastActivity = loop.now();
        ch.writeAndFlush(ErrorResponses.of(error, route, message, version, close), ch.voidPromise());
    }
}
