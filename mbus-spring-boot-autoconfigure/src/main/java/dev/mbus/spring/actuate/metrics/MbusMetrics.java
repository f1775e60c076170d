package dev.mbus.spring.actuate.metrics;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.listener.MbusListenerInterceptor;
import dev.mbus.spring.listener.MbusListenerInvocation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Meters of the Mbus engine, read from its counters, and of the listeners, counted as they run:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>mbus.messages.sent</td><td>counter</td><td></td><td>messages sent (first transmissions)</td></tr>
 * <tr><td>mbus.commands.sent</td><td>counter</td><td></td><td>commands those messages carried (more when
 * sends in a burst shared messages)</td></tr>
 * <tr><td>mbus.messages.received</td><td>counter</td><td></td><td>messages taken from other entities: authentic,
 * well formed and fresh</td></tr>
 * <tr><td>mbus.reliable.acknowledged</td><td>counter</td><td></td><td>reliable sends acknowledged</td></tr>
 * <tr><td>mbus.reliable.failed</td><td>counter</td><td></td><td>reliable sends that failed: never acknowledged, the
 * engine stopping first, or a full window on an engine thread</td></tr>
 * <tr><td>mbus.reliable.retransmissions</td><td>counter</td><td></td><td>retransmissions sent</td></tr>
 * <tr><td>mbus.reliable.in.flight</td><td>gauge</td><td></td><td>reliable sends awaiting acknowledgement</td></tr>
 * <tr><td>mbus.reliable.late</td><td>counter</td><td></td><td>reliable messages refused, unacknowledged, because
 * the gap they would have filled was given up</td></tr>
 * <tr><td>mbus.datagrams.dropped</td><td>counter</td><td>reason: bad_digest, parse_error, oversized,
 * too_short, bad_ciphertext, stale, duplicate</td><td>datagrams dropped; stale: timestamp outside the freshness
 * window ({@code mbus.inbound.freshness}) or from an earlier run of its sender; duplicate: messages heard before,
 * retransmissions and replays (a reliable one is acknowledged again, not delivered twice), and messages heard
 * after their sender's bye</td></tr>
 * <tr><td>mbus.commands.overloaded</td><td>counter</td><td></td><td>messages refused for want of room
 * ({@code mbus.inbound.max-bytes*}): unreliable ones dropped, reliable ones left unacknowledged</td></tr>
 * <tr><td>mbus.events.dropped</td><td>counter</td><td></td><td>engine events (peers joining and leaving, quit,
 * rendezvous) not handed to listeners because their queue for that source was full</td></tr>
 * <tr><td>mbus.messages.too.large.for.peers</td><td>counter</td><td></td><td>unreliable messages sent that are
 * larger than a known peer receives (over 1,500 bytes with a UCL tool on the bus), for other entities</td></tr>
 * <tr><td>mbus.inbound.bytes</td><td>gauge</td><td></td><td>bytes of received messages held now, behind gaps or
 * for listeners</td></tr>
 * <tr><td>mbus.handler.invocations</td><td>counter</td><td></td><td>calls of the engine's command handlers, every
 * listener's together</td></tr>
 * <tr><td>mbus.handler.errors</td><td>counter</td><td></td><td>handler and event listener calls that threw to the
 * engine; a listener failure its error handler took counts in mbus.listener.errors only</td></tr>
 * <tr><td>mbus.peers</td><td>gauge</td><td></td><td>entities known now</td></tr>
 * <tr><td>mbus.listener.invocations</td><td>counter</td><td>listener</td><td>listener calls</td></tr>
 * <tr><td>mbus.listener.errors</td><td>counter</td><td>listener</td><td>listener calls that failed</td></tr>
 * </table>
 *
 * Counters add up over engine restarts. The {@code mbus} actuator endpoint shows the same counters.
 */
public class MbusMetrics implements MeterBinder, MbusListenerInterceptor {

    private final MbusEngine engine;
    private volatile MeterRegistry registry;

    public MbusMetrics(MbusEngine engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "mbus.messages.sent", "Mbus messages sent, first transmissions only", EntityStats::sent);
        counter(registry, "mbus.commands.sent", "Commands the Mbus messages sent carried", EntityStats::commandsSent);
        counter(registry, "mbus.messages.received",
                "Mbus messages taken from other entities: authentic, well formed and fresh", EntityStats::received);
        counter(registry, "mbus.reliable.acknowledged", "Reliable Mbus sends acknowledged",
                EntityStats::reliableAcknowledged);
        counter(registry, "mbus.reliable.failed", "Reliable Mbus sends that failed", EntityStats::reliableFailed);
        counter(registry, "mbus.reliable.retransmissions", "Retransmissions of reliable Mbus messages",
                EntityStats::retransmissions);
        counter(registry, "mbus.reliable.late",
                "Reliable Mbus messages refused because the gap they would have filled was given up", EntityStats::late);
        counter(registry, "mbus.commands.overloaded", "Mbus messages refused for want of room",
                EntityStats::overloaded);
        counter(registry, "mbus.events.dropped", "Mbus engine events not handed to listeners, their queue full",
                EntityStats::eventsDropped);
        counter(registry, "mbus.messages.too.large.for.peers",
                "Mbus messages sent larger than a known peer receives (a UCL tool on the bus)", EntityStats::tooLargeForPeers);
        counter(registry, "mbus.handler.invocations", "Calls of the Mbus engine's handlers",
                EntityStats::handlerInvocations);
        counter(registry, "mbus.handler.errors", "Mbus handler and event listener calls that threw to the engine",
                EntityStats::handlerErrors);
        for (InvalidDatagramException.Reason reason : InvalidDatagramException.Reason.values()) {
            FunctionCounter.builder("mbus.datagrams.dropped", engine,
                            e -> e.stats().dropped().getOrDefault(reason, 0L))
                    .description("Mbus datagrams dropped").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        FunctionCounter.builder("mbus.datagrams.dropped", engine, e -> e.stats().duplicates())
                .description("Mbus datagrams dropped").tag("reason", "duplicate").register(registry);
        Gauge.builder("mbus.peers", engine, e -> e.peers().size()).description("Mbus entities known now")
                .register(registry);
        Gauge.builder("mbus.reliable.in.flight", engine, e -> e.stats().reliableInFlight())
                .description("Reliable Mbus sends awaiting acknowledgement").register(registry);
        Gauge.builder("mbus.inbound.bytes", engine, e -> e.stats().inboundBytes()).baseUnit(BaseUnits.BYTES)
                .description("Bytes of received Mbus messages held now, behind gaps or for listeners")
                .register(registry);
        this.registry = registry;
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<EntityStats> value) {
        FunctionCounter.builder(name, engine, e -> value.applyAsDouble(e.stats())).description(description)
                .register(registry);
    }

    /** Counts listener calls and failures per listener id. */
    @Override
    public Object intercept(MbusListenerInvocation invocation, Proceed next) throws Exception {
        MeterRegistry meters = registry;
        if (meters == null) {
            return next.proceed();
        }
        Counter.builder("mbus.listener.invocations").description("Mbus listener calls")
                .tag("listener", invocation.listenerId()).register(meters).increment();
        try {
            return next.proceed();
        } catch (Exception | Error e) {
            Counter.builder("mbus.listener.errors").description("Mbus listener calls that failed")
                    .tag("listener", invocation.listenerId()).register(meters).increment();
            throw e;
        }
    }
}
