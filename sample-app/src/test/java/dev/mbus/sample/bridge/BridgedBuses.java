package dev.mbus.sample.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.sample.SampleApplication;
import dev.mbus.spring.test.MbusTestBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Two buses (two private loopback ports), each with the sample as bridge (an application context
 * each), and one embedded KRaft broker in this JVM: a controller on bus A and a player on bus B
 * meet through the bridges. Bridge a stands on A for the player, bridge b on B for the controller.
 */
final class BridgedBuses implements AutoCloseable {

    static final String TOPIC = "mbus-bridge-test";
    static final Address PLAYER = Address.parse("(app:sample-player)");
    static final Duration WAIT = Duration.ofSeconds(30);

    final EmbeddedKafkaKraftBroker kafka;
    final MbusTestBus busA = MbusTestBus.create();
    final MbusTestBus busB = MbusTestBus.create();
    private final List<AutoCloseable> started = new ArrayList<>();
    ConfigurableApplicationContext bridgeA;
    ConfigurableApplicationContext bridgeB;
    MbusEntity controller;
    MbusEntity player;

    /** Everything started, the controller has heard the player's stand-in, and both bridges read the topic. */
    static BridgedBuses start(String... bridgeArguments) throws Exception {
        BridgedBuses buses = new BridgedBuses();
        try {
            buses.startAll(bridgeArguments);
            return buses;
        } catch (Exception | AssertionError e) {
            buses.close();
            throw e;
        }
    }

    private BridgedBuses() {
        // A fixed port, so that a broker restarted by a test is found where it was.
        kafka = new EmbeddedKafkaKraftBroker(1, 1, TOPIC).kafkaPorts(freeTcpPort());
    }

    private void startAll(String... bridgeArguments) throws Exception {
        kafka.afterPropertiesSet();
        bridgeA = startBridge(busA, "a", "(app:sample-player bridge:a)", bridgeArguments);
        bridgeB = startBridge(busB, "b", "(app:sample-controller bridge:b)", bridgeArguments);
        controller = started(busA.startEntity("(app:sample-controller)"));
        player = started(busB.startEntity("(app:sample-player)"));
        controller.awaitPeer(PLAYER, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitAssigned(bridgeA);
        awaitAssigned(bridgeB);
    }

    private ConfigurableApplicationContext startBridge(MbusTestBus bus, String id, String address, String... more) {
        List<String> arguments = new ArrayList<>(List.of("--bridge.id=" + id, "--bridge.topic=" + TOPIC,
                "--bridge.retry.interval=100ms", "--mbus.template.await-destination=200ms",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--sample.exit-on-quit=false", "--sample.activity.capacity=10"));
        arguments.addAll(List.of(more));
        return started(new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).profiles("bridge").initializers(bus.initializer(address))
                .run(arguments.toArray(String[]::new)));
    }

    /** The bridge's consumer has its partition: it reads what is published from now on (offset reset: latest). */
    private static void awaitAssigned(ConfigurableApplicationContext bridge) {
        BridgeHealthIndicator health = bridge.getBean(BridgeHealthIndicator.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(health.health(true).getDetails()).containsKey("consumerLag"));
    }

    private <T extends AutoCloseable> T started(T closeable) {
        started.add(closeable);
        return closeable;
    }

    BridgeMeters meters(ConfigurableApplicationContext bridge) {
        return bridge.getBean(BridgeMeters.class);
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        kafka.destroy();
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
