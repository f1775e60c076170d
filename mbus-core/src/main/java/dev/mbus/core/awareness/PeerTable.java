package dev.mbus.core.awareness;

import dev.mbus.core.message.Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The entities this entity knows (protocol §7). Every message refreshes its sender; silence
 * longer than the dead time, or a bye, removes it. Thread-safe: the receive thread updates it
 * while senders resolve destinations.
 *
 * <p>The table holds at most {@code capacity} peers. When a new sender arrives at a full table,
 * the peer that was heard only once and has been silent longest makes room for it, or, when
 * every peer was heard more than once, the one silent longest: a flood of one-off sources (forged
 * or replayed hellos) then only displaces itself, and a genuine entity, which says hello again
 * and again, keeps its place and is never locked out. Only {@linkplain #established() established}
 * peers, heard more than once, count for the hello interval, so such a flood cannot stretch it.
 */
public final class PeerTable {

    /** What {@link #heard} found. */
    public enum Heard { NEW, KNOWN, MOVED }

    /** Told of a peer that made room for a newcomer. */
    @FunctionalInterface
    public interface Evictions {
        void evicted(Peer peer);
    }

    private final Map<Address, Entry> peers = new ConcurrentHashMap<>();
    /**
     * Moves on after every peer added or removed: what {@link #soleMatch} found for a destination
     * stays true until then, so sends to one destination need not scan every peer each time.
     */
    private final AtomicLong membership = new AtomicLong();
    /** The last answer of {@link #soleMatch}, for the membership it was found under. */
    private volatile SoleMatch lastSoleMatch;
    /**
     * Peers in the order they joined, for finding a heard-once peer to evict without a scan:
     * entries that were heard again or left since are skipped, and compacted away when many.
     * Used by the receive thread only.
     */
    private final ArrayDeque<Entry> joined = new ArrayDeque<>();
    /** Counted by each {@link #expire} pass, which visits every peer anyway. */
    private volatile int established;
    /** When the first peer kept by the last {@link #expire} pass falls silent, unless heard before. */
    private volatile long nextExpiryNanos;
    private final int capacity;
    private final int busPort;
    private final Evictions evictions;

    /**
     * @param capacity most peers tracked at once
     * @param busPort  the port every entity of the bus binds, which tells the UCL tools (see {@link PeerKind})
     */
    public PeerTable(int capacity, int busPort, Evictions evictions) {
        this.capacity = capacity;
        this.busPort = busPort;
        this.evictions = evictions;
    }

    private record SoleMatch(Address destination, long membership, Address sole) {
    }

    private static final class Entry {
        final Address address;
        final long firstHeardMillis;
        volatile InetSocketAddress endpoint;
        volatile PeerKind kind;
        volatile long lastHeardNanos;
        volatile long lastHeardMillis;
        /** Time between the last two messages heard from it: its rhythm, hello interval included. */
        volatile long lastGapNanos;
        /** Written by the receive thread only. */
        volatile long messages = 1;

        Entry(Address address, InetSocketAddress endpoint, PeerKind kind, long nanos, long millis) {
            this.address = address;
            this.endpoint = endpoint;
            this.kind = kind;
            this.firstHeardMillis = millis;
            this.lastHeardNanos = nanos;
            this.lastHeardMillis = millis;
        }

        boolean established() {
            return messages > 1;
        }

        Peer toPeer() {
            return new Peer(address, endpoint, Instant.ofEpochMilli(firstHeardMillis), Instant.ofEpochMilli(lastHeardMillis), kind);
        }
    }

    /**
     * Records that {@code source} was heard from {@code endpoint}, and what kind of peer that shows
     * it to be; makes room when the table is full (see the class comment). Called by the receive
     * thread only.
     *
     * @param saidOurHello whether the message was this library's hello ({@link PeerKind#isOurHello})
     */
    public Heard heard(Address source, InetSocketAddress endpoint, long nanos, long millis, boolean saidOurHello) {
        Entry entry = peers.get(source);
        if (entry == null) {
            if (peers.size() >= capacity) {
                evictOne();
            }
            Entry fresh = new Entry(source, endpoint, PeerKind.recognise(endpoint, busPort, saidOurHello, null), nanos,
                    millis);
            peers.put(source, fresh);
            membership.incrementAndGet();
            if (joined.size() >= 2 * capacity) {
                joined.removeIf(candidate -> !isEvictableFirst(candidate));
            }
            joined.add(fresh);
            return Heard.NEW;
        }
        entry.lastGapNanos = nanos - entry.lastHeardNanos;
        entry.lastHeardNanos = nanos;
        entry.lastHeardMillis = millis;
        entry.messages++;
        boolean moved = !endpoint.equals(entry.endpoint);
        // Kind before endpoint: a reader that sees the new endpoint must not pair it with the old kind.
        // Written only when it changes, which it rarely does: a store per hello is a dirtied card for the GC.
        PeerKind kind = PeerKind.recognise(endpoint, busPort, saidOurHello, moved ? null : entry.kind);
        if (kind != entry.kind) {
            entry.kind = kind;
        }
        if (moved) {
            entry.endpoint = endpoint;
            return Heard.MOVED;
        }
        return Heard.KNOWN;
    }

    private void evictOne() {
        Entry victim = null;
        while (victim == null && !joined.isEmpty()) {
            Entry candidate = joined.poll();
            if (isEvictableFirst(candidate)) {
                victim = candidate; // heard once, and the longest silent of those: it joined first
            }
        }
        if (victim == null) {
            for (Entry entry : peers.values()) {
                if (victim == null || evictsBefore(entry, victim)) {
                    victim = entry;
                }
            }
        }
        if (victim != null && peers.remove(victim.address, victim)) {
            membership.incrementAndGet();
            evictions.evicted(victim.toPeer());
        }
    }

    private boolean isEvictableFirst(Entry entry) {
        return !entry.established() && peers.get(entry.address) == entry;
    }

    private static boolean evictsBefore(Entry candidate, Entry than) {
        if (candidate.established() != than.established()) {
            return !candidate.established();
        }
        return candidate.lastHeardNanos - than.lastHeardNanos < 0;
    }

    /** Removes a peer (bye or silence); returns it as it was, or null when unknown. */
    public Peer remove(Address address) {
        Entry entry = peers.remove(address);
        if (entry == null) {
            return null;
        }
        membership.incrementAndGet();
        return entry.toPeer();
    }

    /**
     * Removes and returns the peers silent for longer than their dead time; counts the established
     * ones left. An established peer's dead time is {@code deadAfterNanos} (this entity's, from the
     * peers it knows), or {@code deadIntervals} times the peer's own last gap between messages if
     * that is longer: a peer that knows more entities says hello less often, and must not be taken
     * for gone by one that knows fewer, which would then know fewer still. A peer heard once has
     * no rhythm yet and gets {@code onceHeardDeadAfterNanos}.
     */
    public List<Peer> expire(long nowNanos, long deadAfterNanos, long onceHeardDeadAfterNanos, int deadIntervals) {
        List<Peer> gone = new ArrayList<>();
        int stayed = 0;
        long soonest = 0;
        boolean first = true;
        for (Entry entry : peers.values()) {
            long deadAfter = entry.established()
                    ? Math.max(deadAfterNanos, deadIntervals * entry.lastGapNanos)
                    : onceHeardDeadAfterNanos;
            long deadAt = entry.lastHeardNanos + deadAfter;
            if (nowNanos - deadAt > 0 && peers.remove(entry.address, entry)) {
                membership.incrementAndGet();
                gone.add(entry.toPeer());
                continue;
            }
            if (entry.established()) {
                stayed++;
            }
            if (first || deadAt - soonest < 0) {
                soonest = deadAt;
                first = false;
            }
        }
        established = stayed;
        nextExpiryNanos = soonest;
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

    /**
     * The address of the one known peer {@code destination} matches, or null when none or
     * several do. Unlike {@link #matching}, makes nothing, for the send path.
     */
    public Address soleMatch(Address destination) {
        // Read before the scan: a change during it moves the membership on, and the answer is not reused.
        long now = membership.get();
        SoleMatch last = lastSoleMatch;
        if (last != null && last.membership() == now && last.destination().equals(destination)) {
            return last.sole();
        }
        Address sole = scanForSoleMatch(destination);
        lastSoleMatch = new SoleMatch(destination, now, sole);
        return sole;
    }

    private Address scanForSoleMatch(Address destination) {
        Address sole = null;
        for (Entry entry : peers.values()) {
            if (destination.matches(entry.address)) {
                if (sole != null) {
                    return null;
                }
                sole = entry.address;
            }
        }
        return sole;
    }

    /** What the peer with exactly this address is known to be, or null when unknown. */
    public PeerKind kindOf(Address address) {
        Entry entry = peers.get(address);
        return entry == null ? null : entry.kind;
    }

    /**
     * The endpoint a datagram for this peer alone can be sent to: where it was last heard, when
     * it is of a kind that is {@linkplain PeerKind#unicastSafe() safe for unicast}; null otherwise
     * or when unknown.
     */
    public InetSocketAddress unicastEndpointOf(Address address) {
        Entry entry = peers.get(address);
        if (entry == null) {
            return null;
        }
        InetSocketAddress endpoint = entry.endpoint; // before the kind: heard() writes them the other way round
        return entry.kind.unicastSafe() ? endpoint : null;
    }

    /**
     * Whether at least one peer is known and every one is of this library ({@link PeerKind#OURS}):
     * then whatever this entity sends, to the group or to one of them, reaches none known to take
     * less. Makes nothing, for the send path.
     */
    public boolean onlyOurs() {
        boolean any = false;
        for (Entry entry : peers.values()) {
            if (entry.kind != PeerKind.OURS) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** The peer with exactly this address, or null. */
    public Peer get(Address address) {
        Entry entry = peers.get(address);
        return entry == null ? null : entry.toPeer();
    }

    public int size() {
        return peers.size();
    }

    /**
     * Peers heard more than once, as counted by the last {@link #expire} pass: those that count
     * for the hello interval and the dead time.
     */
    public int established() {
        return established;
    }

    /**
     * When the first peer that the last {@link #expire} pass kept will have been silent for its
     * dead time, unless heard before (or the dead times shrink). Meaningless when the table is empty.
     */
    public long nextExpiryNanos() {
        return nextExpiryNanos;
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
