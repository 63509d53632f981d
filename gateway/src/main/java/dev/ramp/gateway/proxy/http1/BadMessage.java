package dev.ramp.gateway.proxy.http1;

/**
 * A message that cannot be relayed; its text goes into the 400 answer (or the upstream failure). Thrown by the
 * parsing helpers of {@link Http1Decoder} and caught there, so it carries no stack trace.
 */
final class BadMessage extends IllegalArgumentException {
    BadMessage(String message) {
        super(message, null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
