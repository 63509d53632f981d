package dev.ramp.gateway.proxy.http1;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Header names a decoder shares instead of viewing: when a head spells one exactly so, the name is the shared
 * constant and no {@link AsciiString} is made for it. Tables are built once per decoder class.
 */
final class CommonNames {
    private CommonNames() {}

    /** {@code names} grouped by length, for {@link #common} and the decoders' constructors. */
    static AsciiString[][] byLength(AsciiString... names) {
        int max = 0;
        for (AsciiString n : names) {
            max = Math.max(max, n.length());
        }
        AsciiString[][] table = new AsciiString[max + 1][];
        for (AsciiString n : names) {
            AsciiString[] row = table[n.length()];
            row = row == null ? new AsciiString[1] : Arrays.copyOf(row, row.length + 1);
            row[row.length - 1] = n;
            table[n.length()] = row;
        }
        return table;
    }

    /** The shared constant spelled exactly as {@code sb[start, start + length)}, or null. */
    static AsciiString common(AsciiString[][] byLength, byte[] sb, int start, int length) {
        if (length >= byLength.length || byLength[length] == null) {
            return null;
        }
        for (AsciiString name : byLength[length]) {
            if (sameBytes(name.array(), name.arrayOffset(), sb, start, length)) {
                return name;
            }
        }
        return null;
    }

    private static boolean sameBytes(byte[] a, int aStart, byte[] b, int bStart, int length) {
        for (int i = 0; i < length; i++) {
            if (a[aStart + i] != b[bStart + i]) {
                return false;
            }
        }
        return true;
    }
}
