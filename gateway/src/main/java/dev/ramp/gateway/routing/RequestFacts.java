package dev.ramp.gateway.routing;

/**
 * The facts about one request that targeting rules read, without HTTP types: the data path implements it over
 * the decoded request (views, no copies), the explain endpoint and command over their parameters, so both run
 * the same decision.
 *
 * <p>A value returned may be a view that is valid only until the next call of the same method; callers use it
 * at once and never keep it. Every method returns null when the request has no such value.
 */
public interface RequestFacts {

    /** The first value of header {@code name} (case-insensitive). */
    CharSequence header(String name);

    /** The value of cookie {@code name} (case-sensitive). */
    CharSequence cookie(String name);

    /** The first value of query parameter {@code name} (case-sensitive), percent-decoded. */
    CharSequence query(String name);

    /** The client's address as an IP literal: the peer, or from a trusted peer its X-Forwarded-For client. */
    CharSequence source();

    /** The raw path of the request target, without the query. */
    CharSequence path();

    /** A request with no headers, cookies, query, source or path: no rule matches it. */
    RequestFacts NONE = new RequestFacts() {
        @Override
        public CharSequence header(String name) {
            return null;
        }

        @Override
        public CharSequence cookie(String name) {
            return null;
        }

        @Override
        public CharSequence query(String name) {
            return null;
        }

        @Override
        public CharSequence source() {
            return null;
        }

        @Override
        public CharSequence path() {
            return null;
        }
    };
}
