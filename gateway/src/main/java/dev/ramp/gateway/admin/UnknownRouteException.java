package dev.ramp.gateway.admin;

/** No route of that name is configured; the admin API answers 404 naming it. */
public final class UnknownRouteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String route;

    public UnknownRouteException(String route) {
        super("no route named \"" + route + "\"", null, false, false);
        this.route = route;
    }

    public String route() {
        return route;
    }
}
