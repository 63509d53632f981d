package dev.ramp.gateway.config;

/**
 * Which data-path implementation serves the traffic listener ({@code ramp.listen.engine}). Both keep the
 * same behaviour (routing, assignment, fallback, breaker, errors); they differ in cost per request.
 */
public enum Engine {
    /** Vert.x HttpServer and HttpClient: the original data path. */
    VERTX("vertx"),
    /** A handler written directly on Netty: per-event-loop upstream pools, no per-request futures or timers. */
    NETTY("netty");

    private final String tag;

    Engine(String tag) {
        this.tag = tag;
    }

    /** The value as written in the config. */
    public String tag() {
        return tag;
    }
}
