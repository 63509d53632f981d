package dev.ramp.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Every response the gateway produces itself, in one place: status, error code and the JSON body
 * {@code {"error", "route", "message"}} (docs/admin-api.md, "Errors").
 */
public enum GatewayError {
    NO_ROUTE(404, "no_route"),
    BAD_REQUEST(400, "bad_request"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    URI_TOO_LONG(414, "uri_too_long"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    HEADERS_TOO_LARGE(431, "headers_too_large"),
    UPSTREAM_UNAVAILABLE(502, "upstream_unavailable"),
    UPSTREAM_TIMEOUT(504, "upstream_timeout"),
    SHUTTING_DOWN(503, "shutting_down");

    private final int status;
    private final String code;

    GatewayError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The JSON body for this error. */
    public Buffer body(String route, String message) {
        JsonObject json = new JsonObject().put("error", code);
        if (route != null) {
            json.put("route", route);
        }
        json.put("message", message);
        return json.toBuffer();
    }

    /** The JSON body for this error as bytes (written by the data path). */
    public byte[] bodyBytes(String route, String message) {
        return body(route, message).getBytes();
    }
}
