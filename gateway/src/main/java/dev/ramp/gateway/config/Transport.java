package dev.ramp.gateway.config;

/**
 * Which socket transport serves the traffic listener ({@code ramp.listen.transport}). {@link #AUTO} is epoll
 * where it loads, else NIO; io_uring only when named. A named one that cannot load is a start-up error, never
 * a silent fallback.
 */
public enum Transport {
    /** epoll where it loads, else NIO. */
    AUTO("auto"),
    /** Linux io_uring (kernel 5.14+, not blocked by a seccomp profile): one system call per loop turn. */
    IO_URING("io_uring"),
    /** Linux epoll: one system call per read and per write. */
    EPOLL("epoll"),
    /** The JDK's NIO selector: works everywhere. */
    NIO("nio");

    private final String tag;

    Transport(String tag) {
        this.tag = tag;
    }

    /** The value as written in the config. */
    public String tag() {
        return tag;
    }
}
