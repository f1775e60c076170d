package dev.mbus.spring.actuate;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.spring.actuate.endpoint.MbusEndpoint;
import dev.mbus.spring.actuate.metrics.MbusMetrics;
import dev.mbus.spring.core.MbusEngine;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The meters and the actuator endpoint show every counter of the engine, each under its own name. */
class MetersAndEndpointTests {

    /** Endpoint counter to the meter showing it; the dropped reasons are added per reason. */
    private static final Map<String, String> METER_OF_COUNTER = Map.ofEntries(
            entry("sent", "mbus.messages.sent"),
            entry("commandsSent", "mbus.commands.sent"),
            entry("received", "mbus.messages.received"),
            entry("reliableAcknowledged", "mbus.reliable.acknowledged"),
            entry("reliableFailed", "mbus.reliable.failed"),
            entry("reliableInFlight", "mbus.reliable.in.flight"),
            entry("retransmissions", "mbus.reliable.retransmissions"),
            entry("late", "mbus.reliable.late"),
            entry("duplicates", "mbus.datagrams.dropped{reason=duplicate}"),
            entry("overloaded", "mbus.commands.overloaded"),
            entry("eventsDropped", "mbus.events.dropped"),
            entry("tooLargeForPeers", "mbus.messages.too.large.for.peers"),
            entry("inboundBytes", "mbus.inbound.bytes"),
            entry("handlerInvocations", "mbus.handler.invocations"),
            entry("handlerErrors", "mbus.handler.errors"));

    @Test
    void everyCounterIsAMeterAndAnEndpointEntryWithTheSameValue() {
        // Every counter a value of its own, so that a counter shown under another's name is caught.
        Map<InvalidDatagramException.Reason, Long> dropped = new EnumMap<>(InvalidDatagramException.Reason.class);
        for (InvalidDatagramException.Reason reason : InvalidDatagramException.Reason.values()) {
            dropped.put(reason, 100L + reason.ordinal());
        }
        EntityStats stats = new EntityStats(1, 2, 3, 4, 5, 6, 7, dropped, 8, 9, 10, 14, 11, 12, 0, 13, 15);
        MbusEngine engine = new MbusEngine(() -> {
            throw new IllegalStateException("never started in this test");
        }) {
            @Override
            public EntityStats stats() {
                return stats;
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MbusMetrics(engine).bindTo(registry);

        Map<String, Long> counters = new MbusEndpoint(engine, null).mbus().counters();

        Map<String, Long> expected = new LinkedHashMap<>(Map.ofEntries(entry("sent", 1L), entry("commandsSent", 2L),
                entry("received", 3L), entry("reliableAcknowledged", 4L), entry("reliableFailed", 5L),
                entry("retransmissions", 6L), entry("reliableInFlight", 7L), entry("duplicates", 8L),
                entry("late", 9L), entry("overloaded", 10L), entry("eventsDropped", 14L), entry("handlerInvocations", 11L),
                entry("handlerErrors", 12L), entry("inboundBytes", 13L), entry("tooLargeForPeers", 15L),
                entry("listenerInvocations", 0L), entry("listenerErrors", 0L)));
        Map<String, String> meterOfCounter = new TreeMap<>(METER_OF_COUNTER);
        dropped.forEach((reason, count) -> {
            String tag = reason.name().toLowerCase(Locale.ROOT);
            expected.put("dropped." + tag, count);
            meterOfCounter.put("dropped." + tag, "mbus.datagrams.dropped{reason=" + tag + "}");
        });
        assertThat(counters).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(counters).containsEntry("dropped.stale", dropped.get(InvalidDatagramException.Reason.STALE));

        Map<String, Double> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            meters.put(describe(meter.getId()), meter.measure().iterator().next().getValue());
        }
        Map<String, Double> expectedMeters = new TreeMap<>();
        // The listener meters are per listener, made on the first call (ActuatorConsistencyTests checks them).
        meterOfCounter.forEach((counter, meter) -> expectedMeters.put(meter, (double) counters.get(counter)));
        expectedMeters.put("mbus.peers", 0.0); // the endpoint lists the peers themselves
        assertThat(meters).isEqualTo(expectedMeters).containsKey("mbus.datagrams.dropped{reason=stale}");
        assertThat(registry.get("mbus.inbound.bytes").gauge().getId().getBaseUnit()).isEqualTo("bytes");
    }

    /** {@code name} or {@code name{reason=tag}}. */
    private static String describe(Meter.Id id) {
        String reason = id.getTag("reason");
        return reason == null ? id.getName() : id.getName() + "{reason=" + reason + "}";
    }
}
