package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.TransportSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Entities on an IPv6 bus, run by {@link Ipv6NamespaceTest} inside a network namespace whose
 * interface (argument 0) carries IPv6 multicast. Prints one line per step that worked; any
 * failure ends the process with a stack trace and a non-zero status.
 */
public final class Ipv6BusProcess {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ProtocolTimers QUICK = ProtocolTimers.RFC.withHello(Duration.ofMillis(200), Duration.ofMillis(40), 5);

    private Ipv6BusProcess() {
    }

    public static void main(String[] args) throws Exception {
        String networkInterface = args[0];
        for (Scope scope : Scope.values()) {
            TransportSettings settings = TransportSettings.defaults().withIpv6(true).withNetworkInterface(networkInterface)
                    .withScope(scope).withPort(47000 + scope.ttl());
            exchange(settings);
            System.out.println("ok " + scope + " " + settings.effectiveGroup());
        }
    }

    /** Two entities find each other and exchange both kinds of message; a third one joins and hears a broadcast. */
    private static void exchange(TransportSettings settings) throws Exception {
        List<Long> atB = new CopyOnWriteArrayList<>();
        List<Long> atC = new CopyOnWriteArrayList<>();
        try (MbusEntity a = entity("(app:a)", settings); MbusEntity b = entity("(app:b)", settings)) {
            b.subscribe("n", in -> atB.add(in.arg(0).asLong()));
            a.awaitPeer(b.address(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            a.send(b.address(), Command.of("n", 1));
            a.sendReliable(b.address(), Command.of("n", 2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try (MbusEntity c = entity("(app:c)", settings)) {
                c.subscribe("n", in -> atC.add(in.arg(0).asLong()));
                a.awaitPeer(c.address(), WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                a.sendReliable(b.address(), Command.of("n", 3)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                a.send(Address.parse("()"), Command.of("n", 4));
                awaitSize(atC, 1);
            }
            awaitSize(atB, 4);
            check(atB.equals(List.of(1L, 2L, 3L, 4L)), "b handled " + atB);
            check(atC.equals(List.of(4L)), "c handled " + atC);
        }
    }

    private static MbusEntity entity(String address, TransportSettings settings) {
        return MbusEntity.start(EntityConfig.builder().address(Address.parse(address)).keys(MemoryBus.KEYS)
                .transportSettings(settings).timers(QUICK).build());
    }

    private static void awaitSize(List<Long> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (list.size() < size && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
