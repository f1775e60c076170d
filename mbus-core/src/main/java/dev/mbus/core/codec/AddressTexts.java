package dev.mbus.core.codec;

import dev.mbus.core.message.Address;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The written text of the few addresses a codec writes over and over: an entity's own, in every
 * header, and those it sends to most. Kept by identity, not equality: an equal address may list
 * its elements in another order, and a message's text keeps the order it was given. A few slots,
 * each replaced by the last address that fell in it. Thread-safe.
 */
final class AddressTexts {

    private static final int SLOTS = 8;

    private record Written(Address address, byte[] text) {
    }

    private final AtomicReferenceArray<Written> slots = new AtomicReferenceArray<>(SLOTS);

    /** The text of {@code address}, from a slot or written by {@code write}. */
    byte[] textOf(Address address, Function<Address, byte[]> write) {
        int slot = System.identityHashCode(address) & (SLOTS - 1);
        Written written = slots.get(slot);
        if (written != null && written.address() == address) {
            return written.text();
        }
        byte[] text = write.apply(address);
        slots.set(slot, new Written(address, text));
        return text;
    }
}
