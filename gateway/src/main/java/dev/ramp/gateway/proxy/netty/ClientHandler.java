package dev.ramp.gateway.proxy.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of a client connection or HTTP/2 stream, which starts its work once the channel is active:
 * either when it becomes active, or at once when the handler is added to a channel already active (after ALPN,
 * the h2c sniff, or on an HTTP/2 stream's child channel). {@link #activate} runs once either way.
 */
abstract class ClientHandler extends ChannelInboundHandlerAdapter {
    private boolean activated;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (!activated) {
            activated = true;
            activate(ctx);
        }
    }

    /** The channel is active and this handler in its pipeline; called once. */
    abstract void activate(ChannelHandlerContext ctx);
}
