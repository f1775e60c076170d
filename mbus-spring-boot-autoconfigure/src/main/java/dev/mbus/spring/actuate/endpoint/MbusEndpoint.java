package dev.mbus.spring.actuate.endpoint;

import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.spring.actuate.HostAndPort;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.TransportInfo;
import dev.mbus.spring.listener.MbusListenerContainer;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/mbus}: the entity, its transport, peers, counters and listeners. Never a key.
 * The counters are those of {@link dev.mbus.spring.actuate.metrics.MbusMetrics}, under the names of
 * {@link EntityStats}; {@code dropped.<reason>} are the reasons of {@link InvalidDatagramException.Reason};
 * {@code listenerInvocations} and {@code listenerErrors} add up every listener's (the meters
 * {@code mbus.listener.*} per listener), while {@code handlerErrors} counts only what threw to the engine.
 * Endpoints are written {@code host:port}, as health writes them.
 */
@Endpoint(id = "mbus")
public class MbusEndpoint {

    private final MbusEngine engine;
    private final MbusListenerEndpointRegistry registry;

    /** @param registry the listener registry, or null */
    public MbusEndpoint(MbusEngine engine, MbusListenerEndpointRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @ReadOperation
    public MbusDescriptor mbus() {
        TransportInfo transport = engine.transportInfo();
        List<PeerDescriptor> peers = engine.peers().stream()
                .map(peer -> new PeerDescriptor(peer.address().toString(), HostAndPort.of(peer.endpoint()),
                        peer.firstHeard().toString(), peer.lastHeard().toString()))
                .toList();
        List<ListenerDescriptor> listeners = registry == null ? List.of()
                : registry.getListenerContainers().stream().map(MbusEndpoint::describe).toList();
        return new MbusDescriptor(engine.isRunning(), engine.address() == null ? null : engine.address().toString(),
                transport == null ? null : transport.description(), peers, counters(engine.stats(), listeners), listeners);
    }

    private static ListenerDescriptor describe(MbusListenerContainer container) {
        return new ListenerDescriptor(container.getId(), container.getEndpoint().getCommands(), container.isRunning(),
                container.getInvocationCount(), container.getErrorCount());
    }

    private static Map<String, Long> counters(EntityStats stats, List<ListenerDescriptor> listeners) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("sent", stats.sent());
        counters.put("commandsSent", stats.commandsSent());
        counters.put("received", stats.received());
        counters.put("reliableAcknowledged", stats.reliableAcknowledged());
        counters.put("reliableFailed", stats.reliableFailed());
        counters.put("reliableInFlight", stats.reliableInFlight());
        counters.put("retransmissions", stats.retransmissions());
        counters.put("late", stats.late());
        counters.put("duplicates", stats.duplicates());
        counters.put("overloaded", stats.overloaded());
        counters.put("eventsDropped", stats.eventsDropped());
        counters.put("tooLargeForPeers", stats.tooLargeForPeers());
        counters.put("inboundBytes", stats.inboundBytes());
        for (InvalidDatagramException.Reason reason : InvalidDatagramException.Reason.values()) {
            counters.put("dropped." + reason.name().toLowerCase(Locale.ROOT), stats.dropped().getOrDefault(reason, 0L));
        }
        counters.put("handlerInvocations", stats.handlerInvocations());
        counters.put("handlerErrors", stats.handlerErrors());
        // Every listener's together: the sums of the meters mbus.listener.invocations|errors{listener}.
        counters.put("listenerInvocations", listeners.stream().mapToLong(ListenerDescriptor::invocations).sum());
        counters.put("listenerErrors", listeners.stream().mapToLong(ListenerDescriptor::errors).sum());
        return counters;
    }

    /** The endpoint's answer. */
    public record MbusDescriptor(boolean running, String address, String transport, List<PeerDescriptor> peers,
            Map<String, Long> counters, List<ListenerDescriptor> listeners) {
    }

    /** A known peer. */
    public record PeerDescriptor(String address, String endpoint, String firstHeard, String lastHeard) {
    }

    /** A listener container. */
    public record ListenerDescriptor(String id, List<String> commands, boolean running, long invocations, long errors) {
    }
}
