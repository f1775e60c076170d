package dev.mbus.sample.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bridge's counters: {@code bridge.forwarded} by direction, and {@code bridge.dropped} by
 * direction and reason. All are registered at start, so that a zero shows as zero.
 */
public final class BridgeMeters {

    /** Which way a command goes. */
    public enum Direction {
        /** From this bus to the topic. */
        TO_KAFKA,
        /** From the topic to this bus. */
        FROM_KAFKA;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Why a command was not forwarded. */
    public enum Reason {
        /** A bridge injected it (to the topic), or this bridge published it (from the topic). */
        LOOP,
        /** An {@code mbus.*} command: it concerns one bus only. */
        AWARENESS,
        /** A second copy of a record already sent on this bus. */
        DUPLICATE,
        /** A record that does not hold a bridged command. */
        MALFORMED,
        /** Kafka or the bus would not take it, after the retries. */
        FAILED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Direction, Counter> forwarded = new EnumMap<>(Direction.class);
    private final Map<Direction, Map<Reason, Counter>> dropped = new EnumMap<>(Direction.class);

    public BridgeMeters(MeterRegistry registry) {
        for (Direction direction : Direction.values()) {
            forwarded.put(direction, Counter.builder("bridge.forwarded").description("Commands forwarded")
                    .tag("direction", direction.tag()).register(registry));
            Map<Reason, Counter> reasons = new EnumMap<>(Reason.class);
            for (Reason reason : Reason.values()) {
                reasons.put(reason, Counter.builder("bridge.dropped").description("Commands not forwarded")
                        .tag("direction", direction.tag()).tag("reason", reason.tag()).register(registry));
            }
            dropped.put(direction, reasons);
        }
    }

    public void forwarded(Direction direction) {
        forwarded.get(direction).increment();
    }

    public void dropped(Direction direction, Reason reason) {
        dropped.get(direction).get(reason).increment();
    }

    public double forwardedCount(Direction direction) {
        return forwarded.get(direction).count();
    }

    public double droppedCount(Direction direction, Reason reason) {
        return dropped.get(direction).get(reason).count();
    }
}
