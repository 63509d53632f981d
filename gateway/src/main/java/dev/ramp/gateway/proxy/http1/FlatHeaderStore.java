package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map.Entry;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The storage of {@link FlatHeaders}: names and values side by side in one array, in arrival order, found by a
 * linear case-insensitive scan of the names. The array is allocated on the first header and grows by doubling;
 * removals compact it in place, keeping the order. {@link FlatHeaders} builds Netty's {@link HttpHeaders} API
 * on these few operations.
 */
abstract class FlatHeaderStore extends HttpHeaders {
    private static final int INITIAL_HEADERS = 8;

    /** name0, value0, name1, value1, ...; null until the first header. */
    CharSequence[] kv;
    int size;

    FlatHeaderStore() {}

    FlatHeaderStore(FlatHeaderStore from) {
        if (from.size > 0) {
            kv = Arrays.copyOf(from.kv, from.kv.length);
            size = from.size;
        }
    }

    static boolean sameName(CharSequence a, CharSequence b) {
        return a == b || a.length() == b.length() && AsciiString.contentEqualsIgnoreCase(a, b);
    }

    /**
     * Removes, in one pass, every header {@code drop} accepts (given the name); returns how many it removed.
     * Used to strip the hop-by-hop headers without a scan per name.
     */
    final int removeAll(Predicate<CharSequence> drop) {
        return compact(0, null, drop);
    }

    /** The index of the first header named {@code name} at or after {@code from}, or -1. */
    final int indexOf(CharSequence name, int from) {
        CharSequence[] a = kv;
        for (int i = from; i < size; i++) {
            if (sameName(a[i << 1], name)) {
                return i;
            }
        }
        return -1;
    }

    final void append(CharSequence name, CharSequence value) {
        if (name == null) {
            throw new NullPointerException("header name");
        }
        CharSequence[] a = kv;
        if (a == null) {
            a = kv = new CharSequence[INITIAL_HEADERS << 1];
        } else if (size << 1 == a.length) {
            a = kv = Arrays.copyOf(a, a.length << 1);
        }
        a[size << 1] = name;
        a[(size << 1) + 1] = value;
        size++;
    }

    /** Replaces the value of the last header added (a decoder joining a folded line to it). */
    final void replaceLastValue(CharSequence value) {
        if (size == 0) {
            throw new IllegalStateException("no header to replace the value of");
        }
        kv[(size << 1) - 1] = value;
    }

    /** Removes the headers named {@code name} at or after index {@code from}. */
    final void removeFrom(CharSequence name, int from) {
        compact(from, name, null);
    }

    /**
     * Removes the headers at or after index {@code from} whose name {@code drop} accepts, or (when {@code drop}
     * is null) whose name is {@code name}, keeping the order of the rest; returns how many it removed.
     */
    private int compact(int from, CharSequence name, Predicate<CharSequence> drop) {
        CharSequence[] a = kv;
        int w = from;
        for (int r = from; r < size; r++) {
            CharSequence n = a[r << 1];
            if (drop == null ? !sameName(n, name) : !drop.test(n)) {
                if (w != r) {
                    a[w << 1] = n;
                    a[(w << 1) + 1] = a[(r << 1) + 1];
                }
                w++;
            }
        }
        int removed = size - w;
        if (removed > 0) {
            Arrays.fill(a, w << 1, size << 1, null);
            size = w;
        }
        return removed;
    }

    /**
     * Walks the headers in order. The entry returned by {@code next()} is the iterator itself, valid until the
     * next call: the encoders copy each name and value out at once, and this saves an entry per header.
     */
    final class Cursor implements Iterator<Entry<CharSequence, CharSequence>>,
            Entry<CharSequence, CharSequence> {
        private int next;
        private int current = -1;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Entry<CharSequence, CharSequence> next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            current = next++;
            return this;
        }

        @Override
        public CharSequence getKey() {
            return kv[current << 1];
        }

        @Override
        public CharSequence getValue() {
            return kv[(current << 1) + 1];
        }

        @Override
        public CharSequence setValue(CharSequence value) {
            CharSequence old = kv[(current << 1) + 1];
            kv[(current << 1) + 1] = HeaderValues.value(value);
            return old;
        }
    }
}
