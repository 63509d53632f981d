package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.GatewayError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * First on a TLS listener's pipeline: a connection whose first bytes are a TLS record goes on to the
 * {@link io.netty.handler.ssl.SniHandler} (this handler removes itself); one that starts with a letter is a
 * plain HTTP request sent to the HTTPS port, answered with a JSON 400 that says so (as nginx does) rather than
 * a silent close the client cannot explain; anything else is closed.
 */
final class PlainHttpOnTlsPort extends ByteToMessageDecoder {
    /** A TLS record header is five bytes; fewer cannot be judged. */
    private static final int RECORD_HEADER = 5;
    private static final byte[] ANSWER = answer();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().remove(this); // the buffered bytes go on to the TLS handler
            return;
        }
        byte first = in.getByte(in.readerIndex());
        in.skipBytes(in.readableBytes());
        if (first >= 'A' && first <= 'Z') {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ANSWER)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private static byte[] answer() {
        byte[] body = GatewayError.BAD_REQUEST.bodyBytes(null,
                "plain HTTP sent to an HTTPS port (expected: https:// on this port)");
        byte[] head = ("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: " + body.length
                       + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
