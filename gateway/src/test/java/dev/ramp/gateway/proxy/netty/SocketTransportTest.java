package dev.ramp.gateway.proxy.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.gateway.config.Transport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SocketTransportTest {
    private static final Throwable NO_URING =
            new UnsupportedOperationException("io_uring_setup: Operation not permitted");
    private static final Throwable NO_EPOLL = new UnsatisfiedLinkError("no libnetty_transport_native_epoll");

    private static SocketTransport pick(Transport wanted, Throwable noUring, Throwable noEpoll) {
        return SocketTransport.select(wanted, () -> noUring, () -> noEpoll);
    }

    @Test
    void autoIsEpollWhereItLoadsElseNioAndNeverIoUring() {
        assertThat(pick(Transport.AUTO, null, null)).isEqualTo(SocketTransport.EPOLL);
        assertThat(pick(Transport.AUTO, NO_URING, null)).isEqualTo(SocketTransport.EPOLL);
        assertThat(pick(Transport.AUTO, null, NO_EPOLL)).isEqualTo(SocketTransport.NIO);
        assertThat(pick(Transport.AUTO, NO_URING, NO_EPOLL)).isEqualTo(SocketTransport.NIO);
    }

    @Test
    void aNamedTransportIsUsedWhenItLoads() {
        assertThat(pick(Transport.IO_URING, null, NO_EPOLL)).isEqualTo(SocketTransport.IO_URING);
        assertThat(pick(Transport.EPOLL, NO_URING, null)).isEqualTo(SocketTransport.EPOLL);
        assertThat(pick(Transport.NIO, null, null)).isEqualTo(SocketTransport.NIO);
        assertThat(pick(Transport.NIO, NO_URING, NO_EPOLL)).isEqualTo(SocketTransport.NIO);
    }

    @Test
    void aNamedTransportThatCannotLoadIsAnErrorNamingTheKeyTheCauseAndWhatWouldWork() {
        assertThatThrownBy(() -> pick(Transport.IO_URING, new IllegalStateException("seccomp", NO_URING), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ramp.listen.transport = \"io_uring\" cannot be used on this machine (seccomp: "
                            + "io_uring_setup: Operation not permitted); expected: \"auto\" or \"epoll\"")
                .hasRootCause(NO_URING);
        assertThatThrownBy(() -> pick(Transport.IO_URING, NO_URING, NO_EPOLL))
                .hasMessageEndingWith("expected: \"auto\" or \"nio\"");
        assertThatThrownBy(() -> pick(Transport.EPOLL, null, NO_EPOLL))
                .hasMessage("ramp.listen.transport = \"epoll\" cannot be used on this machine "
                            + "(no libnetty_transport_native_epoll); expected: \"auto\" or \"nio\"");
    }

    @Test
    void autoAndNioNeverProbeIoUringAndNioProbesNothing() {
        Supplier<Throwable> fail = () -> {
            throw new AssertionError("probed");
        };
        assertThat(SocketTransport.select(Transport.AUTO, fail, () -> null)).isEqualTo(SocketTransport.EPOLL);
        assertThat(SocketTransport.select(Transport.EPOLL, fail, () -> null)).isEqualTo(SocketTransport.EPOLL);
        assertThat(SocketTransport.select(Transport.NIO, fail, fail)).isEqualTo(SocketTransport.NIO);
    }

    @Test
    void eachTransportNamesItsOwnChannelClasses() {
        for (SocketTransport t : SocketTransport.values()) {
            String prefix = switch (t) {
                case IO_URING -> "IoUring";
                case EPOLL -> "Epoll";
                case NIO -> "Nio";
            };
            assertThat(t.socket().getSimpleName()).isEqualTo(prefix + "SocketChannel");
            assertThat(t.serverSocket().getSimpleName()).isEqualTo(prefix + "ServerSocketChannel");
            assertThat(t.datagram().getSimpleName()).isEqualTo(prefix + "DatagramChannel");
        }
    }
}
