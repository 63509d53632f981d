package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.Transport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.function.Supplier;

/**
 * The socket transport of the traffic listener, chosen from {@code ramp.listen.transport}: the event loops'
 * I/O handler and the channel classes that go with it.
 */
public enum SocketTransport {
    /** io_uring: reads and writes are queued and submitted together, one system call per loop turn. */
    IO_URING(Transport.IO_URING),
    EPOLL(Transport.EPOLL),
    NIO(Transport.NIO);

    private final Transport configured;

    SocketTransport(Transport configured) {
        this.configured = configured;
    }

    /** The name as written in the config ({@code io_uring}, {@code epoll}, {@code nio}). */
    public String tag() {
        return configured.tag();
    }

    /**
     * The transport {@code wanted} names on this machine: for {@code auto} epoll where it loads, else NIO.
     * io_uring is used only when named: it is not clearly ahead of epoll against nginx, holds more resident
     * memory per open connection, and Docker's default seccomp profile blocks it (docs/architecture.md,
     * "Design notes"). A named transport that cannot load is an error, never a silent fallback.
     *
     * @throws IllegalStateException naming the key, the value and why it cannot load
     */
    public static SocketTransport select(Transport wanted) {
        // Each probe loads that transport's native library, so only the ones asked about are probed.
        return select(wanted, () -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause(),
                () -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
    }

    /** {@link #select(Transport)} given why io_uring and epoll cannot load here (null: they can). */
    static SocketTransport select(Transport wanted, Supplier<Throwable> noUring, Supplier<Throwable> noEpoll) {
        return switch (wanted) {
            case AUTO -> noEpoll.get() == null ? EPOLL : NIO;
            case IO_URING -> available(IO_URING, noUring.get(), () -> noEpoll.get() == null ? "\"epoll\"" : "\"nio\"");
            case EPOLL -> available(EPOLL, noEpoll.get(), () -> "\"nio\"");
            case NIO -> NIO;
        };
    }

    private static SocketTransport available(SocketTransport t, Throwable cause, Supplier<String> alternative) {
        if (cause == null) {
            return t;
        }
        throw new IllegalStateException("ramp.listen.transport = \"" + t.tag() + "\" cannot be used on this machine ("
                + describe(cause) + "); expected: \"auto\" or " + alternative.get(), cause);
    }

    private static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(": ");
            }
            sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return sb.toString();
    }

    IoHandlerFactory ioHandler() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends SocketChannel> socket() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    Class<? extends ServerSocketChannel> serverSocket() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    Class<? extends DatagramChannel> datagram() {
        return switch (this) {
            case IO_URING -> IoUringDatagramChannel.class;
            case EPOLL -> EpollDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }
}
