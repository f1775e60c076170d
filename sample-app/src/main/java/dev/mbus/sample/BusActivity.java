package dev.mbus.sample;

import dev.mbus.core.message.Address;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What happened on the bus lately, for the page: commands received and sent, commands the
 * listeners rejected, peers joining and leaving. Keeps the last {@code sample.activity.capacity}
 * entries in memory.
 */
@Component
public class BusActivity {

    /** What an entry is about. */
    public enum Kind { RECEIVED, SENT, REJECTED, JOINED, LEFT }

    /**
     * One thing that happened.
     *
     * @param id      increases by one with every entry
     * @param time    when it was recorded
     * @param kind    what it is
     * @param peer    the other entity: the sender, the destination, the peer that joined or left
     * @param command the command in Mbus syntax, or null for peer events
     * @param detail  more words: "reliable", a reply, why a command was rejected, how a peer left
     */
    public record Entry(long id, Instant time, Kind kind, String peer, String command, String detail) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId = 1;

    public BusActivity(SampleProperties properties) {
        this.capacity = Math.max(1, properties.activity().capacity());
    }

    public synchronized Entry add(Kind kind, Address peer, String command, String detail) {
        Entry entry = new Entry(nextId++, Instant.now(), kind, peer == null ? null : peer.toString(), command, detail);
        entries.addFirst(entry);
        while (entries.size() > capacity) {
            entries.removeLast();
        }
        return entry;
    }

    /** The entries kept, newest first. */
    public synchronized List<Entry> recent() {
        return new ArrayList<>(entries);
    }
}
