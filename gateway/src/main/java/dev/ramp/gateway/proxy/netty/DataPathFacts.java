package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.http1.CharSlice;
import dev.ramp.gateway.proxy.http1.Cookies;
import dev.ramp.gateway.proxy.http1.FlatHeaders;
import dev.ramp.gateway.proxy.http1.RequestTarget;
import dev.ramp.gateway.routing.RequestFacts;
import io.netty.util.AsciiString;

/**
 * What a connection's current request offers targeting rules ({@link RequestFacts}), read from the decoded
 * head in place: header values and the path as decoded, cookie and query values as views re-pointed per look-up,
 * so checking rules that do not match allocates nothing. One per connection, re-pointed for each request by
 * {@link #of}; confined to the connection's event loop.
 *
 * <p>The source is the peer's address; when the peer is a trusted source, X-Forwarded-For is read from the
 * right, past every address that is itself trusted, to the first that is not: the client as the last
 * trusted proxy saw it (an untrusted client can prepend anything, but cannot change what a trusted proxy
 * appended). Only the first X-Forwarded-For header counts, as for the header the gateway forwards.
 */
public final class DataPathFacts implements RequestFacts {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private final CharSlice cookie = new CharSlice();
    private final CharSlice query = new CharSlice();
    private final CharSlice forwarded = new CharSlice();
    private FlatHeaders headers;
    private String uri;
    private String path;
    private String peer;
    private boolean trusted;
    private RoutingSnapshot snapshot;
    private CharSequence source;
    private boolean sourceKnown;

    /** Points these facts at a request: its head, target and path, and the peer it came from. */
    public RequestFacts of(FlatHeaders headers, String uri, String path, String peer, boolean trusted,
                    RoutingSnapshot snapshot) {
        this.headers = headers;
        this.uri = uri;
        this.path = path;
        this.peer = peer;
        this.trusted = trusted;
        this.snapshot = snapshot;
        this.source = null;
        this.sourceKnown = false;
        return this;
    }

    @Override
    public CharSequence header(String name) {
        return headers.firstValue(name);
    }

    @Override
    public CharSequence cookie(String name) {
        return Cookies.view(headers, name, cookie);
    }

    @Override
    public CharSequence query(String name) {
        return RequestTarget.query(uri, name, query);
    }

    @Override
    public CharSequence path() {
        return path;
    }

    @Override
    public CharSequence source() {
        if (!sourceKnown) {
            sourceKnown = true;
            source = trusted ? client(headers.firstValue(X_FORWARDED_FOR), peer, snapshot, forwarded) : peer;
        }
        return source;
    }

    /**
     * The client address in X-Forwarded-For {@code xff} sent by a trusted peer: the rightmost entry that is not a
     * trusted source, else the leftmost entry, else the peer.
     */
    static CharSequence client(CharSequence xff, String peer, RoutingSnapshot snapshot, CharSlice out) {
        if (xff == null) {
            return peer;
        }
        int end = xff.length();
        CharSequence leftmost = null;
        while (end > 0) {
            int comma = end - 1;
            while (comma >= 0 && xff.charAt(comma) != ',') {
                comma--;
            }
            int s = comma + 1;
            int e = end;
            while (s < e && xff.charAt(s) == ' ') {
                s++;
            }
            while (e > s && xff.charAt(e - 1) == ' ') {
                e--;
            }
            if (e > s) {
                CharSlice entry = out.set(xff, s, e);
                if (!snapshot.trusted(entry)) {
                    return entry;
                }
                leftmost = entry;
            }
            end = comma;
        }
        return leftmost != null ? leftmost : peer;
    }
}
