package dev.mbus.core.awareness;

import dev.mbus.core.message.Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entities this entity knows (protocol §7). Every message refreshes its sender; silence
 * longer than the dead time, or a bye, removes it. Thread-safe: the receive thread updates it
 * while senders resolve destinations.
 */
public final class PeerTable {

    /** What {@link #heard} found. */
    public enum Heard {
        NEW, KNOWN, MOVED,
        /** Sent before its sender's bye and heard after it (the two came through different sockets): no sign of life. */
        DEPARTED
    }

    /** The bye of an entity that left, so that what it sent before cannot make it a peer again. */
    private record Departure(long sequence, long timestamp, long nanos) {
    }

    private final Map<Address, Entry> peers = new ConcurrentHashMap<>();
    private final Map<Address, Departure> departures = new ConcurrentHashMap<>();
    private final int capacity;

    /** @param capacity most peers tracked at once; beyond it new senders are ignored until some leave */
    public PeerTable(int capacity) {
        this.capacity = capacity;
    }

    private static final class Entry {
        final Address address;
        final long firstHeardMillis;
        volatile InetSocketAddress endpoint;
        volatile long lastHeardNanos;
        volatile long lastHeardMillis;

        Entry(Address address, InetSocketAddress endpoint, long nanos, long millis) {
            this.address = address;
            this.endpoint = endpoint;
            this.firstHeardMillis = millis;
            this.lastHeardNanos = nanos;
            this.lastHeardMillis = millis;
        }

        Peer toPeer() {
            return new Peer(address, endpoint, Instant.ofEpochMilli(firstHeardMillis), Instant.ofEpochMilli(lastHeardMillis));
        }
    }

    /**
     * Records that {@code source} was heard from {@code endpoint}, in a message with this
     * sequence number and timestamp. Returns null when the table is full and the sender unknown
     * (it is then not tracked).
     */
    public Heard heard(Address source, InetSocketAddress endpoint, long sequence, long timestamp, long nanos, long millis) {
        Entry entry = peers.get(source);
        if (entry == null) {
            Departure departure = departures.get(source);
            if (departure != null) {
                if (sequence < departure.sequence && timestamp <= departure.timestamp) {
                    return Heard.DEPARTED;
                }
                departures.remove(source, departure); // back, or restarted with the same address
            }
            if (peers.size() >= capacity) {
                return null;
            }
            Entry fresh = new Entry(source, endpoint, nanos, millis);
            entry = peers.putIfAbsent(source, fresh);
            if (entry == null) {
                return Heard.NEW;
            }
        }
        entry.lastHeardNanos = nanos;
        entry.lastHeardMillis = millis;
        if (!endpoint.equals(entry.endpoint)) {
            entry.endpoint = endpoint;
            return Heard.MOVED;
        }
        return Heard.KNOWN;
    }

    /** Removes a peer (bye or silence); returns it as it was, or null when unknown. */
    public Peer remove(Address address) {
        Entry entry = peers.remove(address);
        return entry == null ? null : entry.toPeer();
    }

    /**
     * Remembers that {@code address} said bye in the message with this sequence number and
     * timestamp, until the dead time passes (see {@link #expire}), so that what it sent before
     * cannot make it a peer again.
     */
    public void departed(Address address, long sequence, long timestamp, long nanos) {
        if (departures.size() < capacity) {
            departures.put(address, new Departure(sequence, timestamp, nanos));
        }
    }

    /** Removes and returns the peers not heard since {@code silentSinceNanos}; forgets byes as old. */
    public List<Peer> expire(long silentSinceNanos) {
        departures.values().removeIf(departure -> departure.nanos - silentSinceNanos < 0);
        List<Peer> gone = new ArrayList<>();
        for (Entry entry : peers.values()) {
            if (entry.lastHeardNanos - silentSinceNanos < 0 && peers.remove(entry.address, entry)) {
                gone.add(entry.toPeer());
            }
        }
        return gone;
    }

    /** The known peers whose address {@code destination} matches. */
    public List<Peer> matching(Address destination) {
        List<Peer> found = new ArrayList<>(1);
        for (Entry entry : peers.values()) {
            if (destination.matches(entry.address)) {
                found.add(entry.toPeer());
            }
        }
        return found;
    }

    /** The peer with exactly this address, or null. */
    public Peer get(Address address) {
        Entry entry = peers.get(address);
        return entry == null ? null : entry.toPeer();
    }

    public int size() {
        return peers.size();
    }

    /** An immutable snapshot, ordered by address text for stable output. */
    public List<Peer> snapshot() {
        List<Peer> all = new ArrayList<>(peers.size());
        for (Entry entry : peers.values()) {
            all.add(entry.toPeer());
        }
        all.sort(Comparator.comparing(peer -> peer.address().toString()));
        return List.copyOf(all);
    }
}
