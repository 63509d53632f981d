package dev.ramp.gateway.config;

/** A listener address: host to bind and port (0 = ephemeral, used by tests). */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
