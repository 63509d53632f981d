package dev.ramp.gateway.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map.Entry;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Netty engine's header container: names and values side by side in one array, looked up by a linear,
 * case-insensitive scan, in arrival order.
 *
 * <p>A proxied message has a dozen headers and is looked up a few times, then relayed; Netty's
 * {@code DefaultHttpHeaders} hashes every name into a 16-bucket table of linked entries on arrival, which
 * was the largest allocation per request on the data path. This keeps one array per message, allocated on the
 * first header ({@link FlatHeaderStore}). Names are matched with {@link AsciiString#contentEqualsIgnoreCase};
 * values are not validated (the decoder splits lines, so CR and LF cannot get into one; the gateway adds only
 * its own values). {@link #set} replaces the first header of that name in place and drops the others.
 *
 * <p>This class is the {@link HttpHeaders} API over that storage; values are converted by {@link HeaderValues}
 * and a section is written out by {@link HeaderBlock}.
 */
public final class FlatHeaders extends FlatHeaderStore {

    /** Empty headers, for a head built from another protocol (an HTTP/2 stream). */
    public FlatHeaders() {}

    private FlatHeaders(FlatHeaders from) {
        super(from);
    }

    /**
     * Writes every header as {@code name: value CRLF} into {@code buf} with one copy ({@link HeaderBlock}), for
     * the engine's encoders.
     */
    void encode(ByteBuf buf) {
        HeaderBlock.encode(kv, size, buf);
    }

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
            if (sameName(a[i << 1], name) && HeaderValues.hasElement(a[(i << 1) + 1], value, ignoreCase)) {
                return true;
            }
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
        append(name, HeaderValues.value(value));
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object v : values) {
            append(name, HeaderValues.value(v));
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
        CharSequence v = HeaderValues.value(value);
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
