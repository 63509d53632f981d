package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

/**
 * The order of two writes of the same shared record: a hybrid logical clock reading and the replica that
 * wrote it. The later stamp wins everywhere (docs/operations.md, "Running replicas").
 *
 * <p>{@code time} is at least the writer's wall clock in milliseconds and greater than every stamp that
 * replica had seen, so a change made after seeing another always wins over it, and a change made while
 * apart wins over one made earlier by wall clock (as long as the clocks' skew is smaller than the time
 * between the two). Equal times are ordered by replica name; a stamp with an empty replica (a latch read
 * back from a file, its writer unknown) loses such ties.
 *
 * <p>Invariants: {@code time >= 0}; {@code replica} has no {@code ':'}; {@link #key()} orders as the
 * stamps do, as plain strings (so Redis compares them in a script without parsing).
 *
 * @param time milliseconds since the epoch, or later (see above)
 * @param replica the writer's replica id, or empty
 */
public record Stamp(long time, String replica) implements Comparable<Stamp> {

    public Stamp {
        requireNonNull(replica, "replica");
        if (time < 0) {
            throw new IllegalArgumentException("time: " + time + " (expected: 0 or more)");
        }
        if (replica.indexOf(':') >= 0) {
            throw new IllegalArgumentException("replica: " + replica + " (expected: no ':')");
        }
    }

    /** {@code "0001764697200000:replica-a"}: sixteen digits, a colon, the replica. */
    public String key() {
        return String.format("%016d:%s", time, replica);
    }

    /** The stamp {@link #key()} wrote. */
    public static Stamp parse(String key) {
        requireNonNull(key, "key");
        int colon = key.indexOf(':');
        if (colon != 16) {
            throw new IllegalArgumentException("stamp: " + key + " (expected: 16 digits, ':', replica)");
        }
        try {
            return new Stamp(Long.parseLong(key.substring(0, colon)), key.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stamp: " + key + " (expected: 16 digits, ':', replica)", e);
        }
    }

    @Override
    public int compareTo(Stamp o) {
        int c = Long.compare(time, o.time);
        return c != 0 ? c : replica.compareTo(o.replica);
    }

    /** Whether this stamp is strictly later than {@code other} (null: always). */
    public boolean after(Stamp other) {
        return other == null || compareTo(other) > 0;
    }
}
