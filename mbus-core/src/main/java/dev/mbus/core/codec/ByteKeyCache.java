package dev.mbus.core.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A small, fixed-size, lock-free cache from a run of bytes to the immutable object parsed from
 * them. A bus repeats a handful of addresses and command names in every message; a hit saves
 * parsing them again and allocating their strings and arrays.
 *
 * <p>Only an object that the same bytes always parse to may be cached, and only once they have
 * parsed without error: bytes equal to a key are then known to be valid and to stand for an
 * equal object, so a hit may skip the checks. Keys are compared byte for byte, so distinct runs
 * are never confused, whatever their hashes.
 *
 * <p>Bounded whatever the input: a fixed number of slots, each holding at most one key of at most
 * {@code maxKeyLength} bytes, and a new key simply replaces the one in its slot. A flood of
 * distinct keys costs evictions, never memory.
 *
 * <p>Thread-safe without locks: a slot holds one immutable {@link Entry}, whose final fields
 * make it safely published by a plain array write. A thread may not see another's latest
 * write and parse the bytes again, which is harmless.
 */
final class ByteKeyCache<T> {

    private record Entry<T>(byte[] key, int hash, T value) {
    }

    /** Reads eight bytes of an array as one long, in one load. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private final Entry<T>[] slots;
    /** Per slot, the hash of the last run that missed there and was not let in. */
    private final int[] candidates;
    private final int shift;
    private final int maxKeyLength;

    /**
     * @param slots        a power of two
     * @param maxKeyLength the longest run that is cached; longer ones are parsed every time
     */
    @SuppressWarnings("unchecked")
    ByteKeyCache(int slots, int maxKeyLength) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = (Entry<T>[]) new Entry<?>[slots];
        this.candidates = new int[slots];
        this.shift = 32 - Integer.numberOfTrailingZeros(slots);
        this.maxKeyLength = maxKeyLength;
    }

    int maxKeyLength() {
        return maxKeyLength;
    }

    /** The object cached for {@code in[from, to)}, or null. */
    T get(byte[] in, int from, int to) {
        int hash = hash(in, from, to);
        Entry<T> entry = slots[index(hash)];
        if (entry != null && entry.hash == hash && Arrays.equals(entry.key, 0, entry.key.length, in, from, to)) {
            return entry.value;
        }
        return null;
    }

    /**
     * Caches {@code value} as what {@code in[from, to)} parses to, unless the run is too long or
     * it is its first miss at an occupied slot. Letting a run replace another only when it misses
     * twice in a row there keeps runs that repeat cached through a flood of one-off runs, and makes
     * each of those cost an int write instead of a new entry.
     */
    void put(byte[] in, int from, int to, T value) {
        if (to - from > maxKeyLength) {
            return;
        }
        int hash = hash(in, from, to);
        int index = index(hash);
        if (slots[index] != null && candidates[index] != hash) {
            candidates[index] = hash;
            return;
        }
        slots[index] = new Entry<>(Arrays.copyOfRange(in, from, to), hash, value);
    }

    /**
     * The hash of a run, eight bytes per step: a byte-at-a-time hash (31 * h + b) is a chain of
     * dependent multiplies, which made hashing a 40-byte address cost as much as parsing it.
     */
    static int hash(byte[] in, int from, int to) {
        long hash = to - from;
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            hash = (hash ^ (long) LONGS.get(in, i)) * MULTIPLIER;
        }
        long tail = 0;
        for (; i < to; i++) {
            tail = tail << 8 | in[i] & 0xff;
        }
        hash = (hash ^ tail) * MULTIPLIER;
        return (int) (hash ^ hash >>> 32);
    }

    /** The slot of a hash: Fibonacci hashing takes the well-mixed high bits of the product. */
    private int index(int hash) {
        return shift == 32 ? 0 : (hash * 0x9E3779B9) >>> shift;
    }

    /** The number of slots in use, for tests. */
    int size() {
        int size = 0;
        for (Entry<T> entry : slots) {
            size += entry == null ? 0 : 1;
        }
        return size;
    }

    /** The number of key bytes held, for tests. */
    long keyBytes() {
        long bytes = 0;
        for (Entry<T> entry : slots) {
            bytes += entry == null ? 0 : entry.key.length;
        }
        return bytes;
    }

    int capacity() {
        return slots.length;
    }
}
