package dev.ramp.gateway.routing;

import java.util.Arrays;

/**
 * An immutable-after-build hash map from strings to values that is looked up by a region of a
 * {@code CharSequence} (a host's suffix, a path's prefix) without making a string of it: the per-request
 * route match allocates nothing. Open addressing, linear probing, at most half full. Keys compare exactly
 * (case included); the hash is {@link String#hashCode()}'s, so a caller can compute it incrementally over
 * a region.
 *
 * @param <V> the value type
 */
final class RegionMap<V> {
    private String[] keys;
    private Object[] values;
    private int size;

    RegionMap() {
        keys = new String[8];
        values = new Object[8];
    }

    /** Maps {@code key} to {@code value} unless it is mapped already (the first one wins, as file order does). */
    void putIfAbsent(String key, V value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(key, value);
    }

    /** The value of {@code key}, or null. */
    V get(String key) {
        return get(key, 0, key.length(), key.hashCode());
    }

    /** The value whose key equals {@code s[start, end)}, whose {@link String#hashCode()} is {@code hash}; or null. */
    @SuppressWarnings("unchecked")
    V get(CharSequence s, int start, int end, int hash) {
        int len = end - start;
        for (int i = slot(hash); keys[i] != null; i = (i + 1) & (keys.length - 1)) {
            String k = keys[i];
            if (k.length() == len && k.hashCode() == hash && regionEquals(k, s, start)) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Hands every value to {@code action} (building only). */
    @SuppressWarnings("unchecked")
    void forEachValue(java.util.function.Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept((V) values[i]);
            }
        }
    }

    boolean isEmpty() {
        return size == 0;
    }


    private static boolean regionEquals(String key, CharSequence s, int start) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != s.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    private int slot(int hash) {
        int h = hash ^ (hash >>> 16);
        return h & (keys.length - 1);
    }

    private void grow() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    /** Puts {@code key} unless it is there; the table has room. */
    private void insert(String key, Object value) {
        int i = slot(key.hashCode());
        while (keys[i] != null) {
            if (keys[i].equals(key)) {
                return;
            }
            i = (i + 1) & (keys.length - 1);
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    @Override
    public String toString() {
        return Arrays.toString(keys);
    }
}
