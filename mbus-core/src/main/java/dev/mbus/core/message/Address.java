package dev.mbus.core.message;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An Mbus address: an unordered set of {@code attr:value} elements (protocol §4), for example
 * {@code (app:rat module:engine id:4711-1@host)}.
 *
 * <p>Equality ignores order; the order on the wire is kept for printing. Matching compares
 * whole elements, never substrings: {@code (id:1)} does not match {@code id:11-1}.
 */
public final class Address {

    /** The ASCII characters an element cannot hold: controls, space, parentheses, quote, DEL. */
    private static final boolean[] NOT_IN_ELEMENT = new boolean[128];

    static {
        for (int c = 0; c < NOT_IN_ELEMENT.length; c++) {
            NOT_IN_ELEMENT[c] = c <= ' ' || c == '(' || c == ')' || c == '"' || c == 0x7f;
        }
    }

    /** {@code ()}: addressed to every entity. */
    public static final Address BROADCAST = new Address(new String[0]);

    /** Immutable, built once: {@link #elements()} hands it out on every encode, without a copy. */
    private final List<String> elements;
    /**
     * The order-independent hash, computed on first use: hashing every element of every received
     * address up front would cost more than parsing it. A benign race, as in String: every thread
     * computes the same value, and int writes are atomic.
     */
    private int hash;

    private Address(String[] elements) {
        this.elements = List.of(elements);
    }

    /** An address of the given elements; repeated elements count once. */
    public static Address of(String... elements) {
        return of(Arrays.asList(elements));
    }

    /** An address of the given elements; repeated elements count once. */
    public static Address of(List<String> elements) {
        String[] distinct = elements.toArray(new String[0]); // our own copy, to drop repeats in place
        int count = 0;
        // A received address may hold thousands of elements: look up repeats in a set then, so
        // that the cost stays linear; a plain scan is faster for the usual handful.
        Set<String> seen = distinct.length > 16 ? new HashSet<>(2 * distinct.length) : null;
        for (String element : distinct) {
            requireElement(element);
            if (seen != null ? seen.add(element) : indexOf(distinct, count, element) < 0) {
                distinct[count++] = element;
            }
        }
        if (count == 0) {
            return BROADCAST;
        }
        return new Address(count == distinct.length ? distinct : Arrays.copyOf(distinct, count));
    }

    private static int indexOf(String[] elements, int count, String element) {
        for (int i = 0; i < count; i++) {
            if (elements[i].equals(element)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses the written form, {@code "(app:rat id:1)"}; parentheses are optional and elements
     * are separated by white space.
     *
     * @throws IllegalArgumentException when an element is not {@code attr:value}
     */
    public static Address parse(String text) {
        String inner = text.strip();
        if (inner.startsWith("(") && inner.endsWith(")")) {
            inner = inner.substring(1, inner.length() - 1).strip();
        }
        return inner.isEmpty() ? BROADCAST : of(inner.split("\\s+"));
    }

    /**
     * Whether {@code element} can stand in an address: {@code attr:value} with a non-empty
     * attribute and no white space, parenthesis or quote anywhere.
     */
    public static boolean isElement(String element) {
        if (element == null) {
            return false;
        }
        int colon = element.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c < NOT_IN_ELEMENT.length && NOT_IN_ELEMENT[c]) {
                return false;
            }
        }
        return true;
    }

    private static void requireElement(String element) {
        if (!isElement(element)) {
            throw new IllegalArgumentException("not an address element (attr:value): " + element);
        }
    }

    /** The elements in the order they were given or read. */
    public List<String> elements() {
        return elements;
    }

    public int size() {
        return elements.size();
    }

    public boolean isBroadcast() {
        return elements.isEmpty();
    }

    public boolean contains(String element) {
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).equals(element)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a message sent to this address reaches {@code entity}: every element of this
     * address is an element of the entity's address. {@link #BROADCAST} matches every entity.
     */
    public boolean matches(Address entity) {
        for (int i = 0; i < elements.size(); i++) {
            if (!entity.contains(elements.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The value of the first element with attribute {@code attr}, or null. */
    public String get(String attr) {
        for (String element : elements) {
            if (element.length() > attr.length() && element.charAt(attr.length()) == ':'
                    && element.startsWith(attr)) {
                return element.substring(attr.length() + 1);
            }
        }
        return null;
    }

    /** This address with {@code element} added (unchanged when already present). */
    public Address with(String element) {
        requireElement(element);
        if (contains(element)) {
            return this;
        }
        String[] more = elements.toArray(new String[elements.size() + 1]);
        more[elements.size()] = element;
        return new Address(more);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Address address) || address.elements.size() != elements.size()
                || address.hashCode() != hashCode()) {
            return false;
        }
        return matches(address);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            for (String element : elements) {
                h += element.hashCode();
            }
            hash = h;
        }
        return h;
    }

    /** The written form, {@code (app:rat id:1)}. */
    @Override
    public String toString() {
        return "(" + String.join(" ", elements) + ")";
    }
}
