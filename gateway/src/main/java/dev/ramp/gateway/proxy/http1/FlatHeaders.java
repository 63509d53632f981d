package dev.ramp.gateway.proxy.http1;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map.Entry;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Netty engine's header container: names and values side by side in one array, looked up by a linear,
 * case-insensitive scan, in arrival order.
 *
 * <p>A proxied message has a dozen headers and is looked up a few times, then relayed; Netty's
 * {@code DefaultHttpHeaders} hashes every name into a 16-bucket table of linked entries on arrival, which
 * was the largest allocation per request on the data path (about a third of its bytes). This keeps one array
 * per message, allocated on the first header. Names are matched with {@link AsciiString#contentEqualsIgnoreCase};
 * values are not validated (the decoder splits lines, so CR and LF cannot get into one; the gateway adds only
 * its own values). {@link #set} replaces the first header of that name in place and drops the others.
 */
public final class FlatHeaders extends HttpHeaders {

    /** Creates these for the decoders, for heads and for trailers. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FlatHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new FlatHeaders();
        }
    };

    private static final int INITIAL_HEADERS = 8;

    /** name0, value0, name1, value1, ...; null until the first header. */
    private CharSequence[] kv;
    private int size;

    FlatHeaders() {}

    private FlatHeaders(FlatHeaders from) {
        if (from.size > 0) {
            kv = Arrays.copyOf(from.kv, from.kv.length);
            size = from.size;
        }
    }

    private static boolean sameName(CharSequence a, CharSequence b) {
        return a == b || a.length() == b.length() && AsciiString.contentEqualsIgnoreCase(a, b);
    }

    /**
     * Removes, in one pass, every header {@code drop} accepts (given the name); returns how many it removed.
     * Used to strip the hop-by-hop headers without a scan per name.
     */
    int removeAll(Predicate<CharSequence> drop) {
        return compact(0, null, drop);
    }

    /** The index of the first header named {@code name} at or after {@code from}, or -1. */
    private int indexOf(CharSequence name, int from) {
        CharSequence[] a = kv;
        for (int i = from; i < size; i++) {
            if (sameName(a[i << 1], name)) {
                return i;
            }
        }
        return -1;
    }

    private static CharSequence value(Object value) {
        if (value instanceof CharSequence cs) {
            return cs;
        }
        if (value == null) {
            throw new NullPointerException("header value");
        }
        if (value instanceof Date d) {
            return DateFormatter.format(d);
        }
        if (value instanceof Calendar c) {
            return DateFormatter.format(c.getTime());
        }
        return value.toString();
    }

    private void append(CharSequence name, CharSequence value) {
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

    /** One scratch array per event loop thread for {@link #encode}: heads are encoded one at a time. */
    private static final io.netty.util.concurrent.FastThreadLocal<byte[]> SCRATCH =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected byte[] initialValue() {
                    return new byte[1024];
                }
            };

    /**
     * Writes every header as {@code name: value CRLF} into {@code buf} with one copy: the lines are assembled in
     * a heap scratch array first. Netty's encoder copies each name and value into the (direct) buffer on its own,
     * and every such copy pays Unsafe.copyMemory's argument checks (1.2 % of the proxy's CPU samples). Characters
     * of String values above 0xff become '?'; below, they are written as their byte (ISO-8859-1), as decoded.
     */
    void encode(io.netty.buffer.ByteBuf buf) {
        CharSequence[] a = kv;
        int n = size << 1;
        int length = 0;
        for (int i = 0; i < n; i++) {
            length += a[i].length() + 2;
        }
        byte[] dst = SCRATCH.get();
        if (dst.length < length) {
            dst = new byte[Math.max(length, dst.length << 1)];
            if (dst.length <= 64 * 1024) {
                SCRATCH.set(dst);
            }
        }
        int p = 0;
        for (int i = 0; i < n; i += 2) {
            p = put(dst, p, a[i]);
            dst[p++] = ':';
            dst[p++] = ' ';
            p = put(dst, p, a[i + 1]);
            dst[p++] = '\r';
            dst[p++] = '\n';
        }
        buf.writeBytes(dst, 0, p);
    }

    private static int put(byte[] dst, int p, CharSequence s) {
        int len = s.length();
        if (s instanceof AsciiString as) {
            System.arraycopy(as.array(), as.arrayOffset(), dst, p, len);
            return p + len;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            dst[p++] = (byte) (c > 0xff ? '?' : c);
        }
        return p;
    }

    /** Replaces the value of the last header added (a decoder joining a folded line to it). */
    void replaceLastValue(CharSequence value) {
        if (size == 0) {
            throw new IllegalStateException("no header to replace the value of");
        }
        kv[(size << 1) - 1] = value;
    }

    /** Removes the headers named {@code name} at or after index {@code from}. */
    private void removeFrom(CharSequence name, int from) {
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

    // ---- look-ups

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    /** The first value of {@code name} as stored (a decoded value stays a view: no String is made), or null. */
    public CharSequence firstValue(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : kv[(i << 1) + 1];
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : kv[(i << 1) + 1].toString();
    }

    @Override
    public Integer getInt(CharSequence name) {
        return parsed(name, Integer::valueOf);
    }

    /** The first value of {@code name}, trimmed and parsed; null when absent or not a number. */
    private <T> T parsed(CharSequence name, java.util.function.Function<String, T> parse) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        return parsed(name, Short::valueOf);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        Date d = DateFormatter.parseHttpDate(v);
        return d == null ? null : d.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long v = getTimeMillis(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return Collections.emptyList();
        }
        int next = indexOf(name, i + 1);
        if (next < 0) {
            return Collections.singletonList(kv[(i << 1) + 1].toString());
        }
        List<String> all = new ArrayList<>(4);
        all.add(kv[(i << 1) + 1].toString());
        for (int j = next; j >= 0; j = indexOf(name, j + 1)) {
            all.add(kv[(j << 1) + 1].toString());
        }
        return all;
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        Iterator<? extends CharSequence> values = valueCharSequenceIterator(name);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return values.hasNext();
            }

            @Override
            public String next() {
                return values.next().toString();
            }
        };
    }

    @Override
    public Iterator<? extends CharSequence> valueCharSequenceIterator(CharSequence name) {
        return new Iterator<CharSequence>() {
            private int next = indexOf(name, 0);

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public CharSequence next() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                CharSequence v = kv[(next << 1) + 1];
                next = indexOf(name, next + 1);
                return v;
            }
        };
    }

    @Override
    public List<Entry<String, String>> entries() {
        List<Entry<String, String>> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(new AbstractMap.SimpleImmutableEntry<>(kv[i << 1].toString(), kv[(i << 1) + 1].toString()));
        }
        return all;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Whether a header {@code name} lists {@code value} among its comma-separated, trimmed elements. The same
     * answer as {@link HttpHeaders#containsValue}, without its iterator and sub-sequences: Netty's encoders ask
     * it of every message (is it chunked?).
     */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        CharSequence[] a = kv;
        for (int i = 0; i < size; i++) {
            if (sameName(a[i << 1], name) && hasElement(a[(i << 1) + 1], value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated {@code list} has an element, trimmed of spaces and tabs, equal to {@code element}. */
    static boolean hasElement(CharSequence list, CharSequence element, boolean ignoreCase) {
        int n = list.length();
        int want = element.length();
        for (int i = 0; i <= n; ) {
            int end = i;
            while (end < n && list.charAt(end) != ',') {
                end++;
            }
            int s = i;
            int e = end;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == want && AsciiString.regionMatches(list, ignoreCase, s, element, 0, want)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    @Override
    public Iterator<Entry<String, String>> iterator() {
        return entries().iterator();
    }

    /**
     * Walks the headers in order. The entry returned by {@code next()} is the iterator itself, valid until the
     * next call: the encoders copy each name and value out at once, and this saves an entry per header.
     */
    @Override
    public Iterator<Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Cursor();
    }

    private final class Cursor implements Iterator<Entry<CharSequence, CharSequence>>,
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
            kv[(current << 1) + 1] = FlatHeaders.value(value);
            return old;
        }
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < size; i++) {
            names.add(kv[i << 1].toString());
        }
        return names;
    }

    // ---- changes

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        append(name, value(value));
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object v : values) {
            append(name, value(v));
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        append(name, Integer.toString(value));
        return this;
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        append(name, Short.toString(value));
        return this;
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        CharSequence v = value(value);
        int i = indexOf(name, 0);
        if (i < 0) {
            append(name, v);
        } else {
            kv[(i << 1) + 1] = v;
            removeFrom(name, i + 1);
        }
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        if (size > 0) {
            removeFrom(name, 0);
        }
        return this;
    }

    @Override
    public HttpHeaders clear() {
        if (kv != null) {
            Arrays.fill(kv, 0, size << 1, null);
        }
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        return new FlatHeaders(this);
    }
}
