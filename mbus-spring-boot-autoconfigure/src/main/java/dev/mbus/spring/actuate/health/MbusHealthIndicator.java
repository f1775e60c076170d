package dev.mbus.spring.actuate.health;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;
import dev.mbus.spring.actuate.HostAndPort;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.TransportInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Mbus entity: UP while the engine runs, whatever the number of peers; DOWN when
 * it is stopped, or when one of the required peers matches no known entity. Details: own
 * address, group:port, interface, scope, local endpoint, and the peers with their endpoints and
 * when they were last heard. Never a key.
 */
public class MbusHealthIndicator extends AbstractHealthIndicator {

    private final MbusEngine engine;
    private final List<Address> requiredPeers;

    public MbusHealthIndicator(MbusEngine engine, List<Address> requiredPeers) {
        super("Mbus health check failed");
        this.engine = engine;
        this.requiredPeers = List.copyOf(requiredPeers);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Address address = engine.address();
        TransportInfo transport = engine.transportInfo();
        if (address == null || transport == null || !engine.isRunning()) {
            builder.down().withDetail("state", "stopped");
            return;
        }
        builder.withDetail("address", address.toString());
        if (transport.group() != null) {
            String group = transport.group().indexOf(':') >= 0 ? "[" + transport.group() + "]" : transport.group();
            builder.withDetail("group", group + ":" + transport.port())
                    .withDetail("interface", transport.networkInterface())
                    .withDetail("scope", transport.scope());
        } else {
            builder.withDetail("transport", transport.description());
        }
        builder.withDetail("endpoint", HostAndPort.of(transport.localEndpoint()));
        List<Peer> peers = engine.peers();
        List<Map<String, Object>> peerDetails = new ArrayList<>(peers.size());
        for (Peer peer : peers) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("address", peer.address().toString());
            detail.put("endpoint", HostAndPort.of(peer.endpoint()));
            detail.put("lastHeard", peer.lastHeard().toString());
            peerDetails.add(detail);
        }
        builder.withDetail("peers", peerDetails);
        List<String> missing = new ArrayList<>();
        for (Address required : requiredPeers) {
            if (peers.stream().noneMatch(peer -> required.matches(peer.address()))) {
                missing.add(required.toString());
            }
        }
        if (!requiredPeers.isEmpty()) {
            builder.withDetail("missingPeers", missing);
        }
        if (missing.isEmpty()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
