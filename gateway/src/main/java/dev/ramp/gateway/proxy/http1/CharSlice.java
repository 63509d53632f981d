package dev.ramp.gateway.proxy.http1;

/**
 * A reusable view of part of another character sequence, so a value found inside a header or the request
 * target can be handed on without copying it. One instance per connection is re-pointed for each look-up:
 * a view is valid until its next {@link #set}.
 */
public final class CharSlice implements CharSequence {
    private CharSequence base;
    private int start;
    private int end;

    /** Points this view at {@code base[start, end)} and returns it. */
    public CharSlice set(CharSequence base, int start, int end) {
        this.base = base;
        this.start = start;
        this.end = end;
        return this;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= end - start) {
            throw new IndexOutOfBoundsException(index);
        }
        return base.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return toString().subSequence(from, to);
    }

    @Override
    public String toString() {
        return base.subSequence(start, end).toString();
    }
}
