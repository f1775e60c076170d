package dev.mbus.sample.bridge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last {@code capacity} commands the bridge sent on its bus, to recognise a
 * second copy of a record (Kafka redelivers what was consumed but not yet committed when a
 * consumer restarts, rebalances or loses the broker). Bounded: the oldest id is forgotten when a
 * new one comes in, so a copy arriving more than {@code capacity} commands later is sent again.
 * In memory: a restarted bridge remembers nothing.
 */
public final class RecentIds {

    private final Map<String, Boolean> ids;

    public RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bridge.dedup.capacity must be at least 1, not " + capacity);
        }
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(String origin, String messageId) {
        return ids.containsKey(key(origin, messageId));
    }

    /** Remembered once sent: a copy that comes before the first was sent is retried, not dropped. */
    public synchronized void remember(String origin, String messageId) {
        ids.put(key(origin, messageId), Boolean.TRUE);
    }

    public synchronized int size() {
        return ids.size();
    }

    /** Ids are unique per origin only. */
    private static String key(String origin, String messageId) {
        return origin + ' ' + messageId;
    }
}
