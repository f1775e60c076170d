package dev.mbus.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.codec.DatagramCodec;
import dev.mbus.core.message.Message;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.EarlyArrivalsTransport;
import dev.mbus.core.transport.Scope;
import dev.mbus.core.transport.StopAndWaitSender;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.core.transport.UdpTransport;
import dev.mbus.spring.boot.autoconfigure.MbusEntityConfigCustomizer;
import dev.mbus.spring.test.MbusTestBus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** A command sent the moment an application is heard is handled, not lost in its start-up. */
class StartupOrderTests {

    @Test
    void reliableCommandSentAsSoonAsTheApplicationIsHeardReachesItsListener() throws Exception {
        MbusTestBus bus = MbusTestBus.create();
        Address player = Address.parse("(app:late-player)");
        try (MbusEntity early = bus.startEntity("(app:early)")) {
            // Sends the instant the player's first hello arrives, racing the player's start-up.
            CompletableFuture<Void> sent = early.awaitPeer(player, Duration.ofSeconds(30))
                    .thenCompose(peer -> early.sendReliable(player, Command.of("tool.rat.volume", 3, "dB")));

            try (ConfigurableApplicationContext app = Apps.start(Apps.PlayerApp.class, bus, "(app:late-player)",
                    "player.late-command=player.late")) {
                sent.get(10, TimeUnit.SECONDS);
                Apps.PlayerListeners listeners = app.getBean(Apps.PlayerListeners.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> listeners.seen.containsKey("volume"));
                assertThat(listeners.seen.get("volume")).startsWith(3, "dB");
            }
        }
    }

    @Test
    void everyReliableCommandAcknowledgedWhileTheApplicationStartsReachesItsListener() throws Exception {
        MbusTestBus bus = MbusTestBus.create();
        MbusKeys keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
                Base64.getDecoder().decode(bus.properties().get("mbus.security.hash-key")), CipherAlgorithm.NOENCR, null);
        // Sends before the application exists and without waiting for its hello, as a UCL tool does.
        try (StopAndWaitSender sender = new StopAndWaitSender(keys, bus.port(), "(app:ucl-like)", "(app:late-player)",
                "test.count", 100, Duration.ofSeconds(30));
             ConfigurableApplicationContext app = Apps.start(Apps.PlayerApp.class, bus, "(app:late-player)",
                     "player.late-command=player.late")) {
            assertThat(sender.awaitEnd(Duration.ofSeconds(30))).as("acknowledged").isEqualTo(100);
            Apps.PlayerListeners listeners = app.getBean(Apps.PlayerListeners.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> listeners.counted.size() >= 100);
            assertThat(listeners.counted).as("handled, in order, once each").isEqualTo(sender.acknowledged());
        }
    }

    @Test
    void aCommandThatArrivesTheMomentTheEngineStartsReceivingReachesItsListener() {
        MbusTestBus bus = MbusTestBus.create();
        try (ConfigurableApplicationContext app = Apps.start(EarlyArrivalsApp.class, bus, "(app:late-player)",
                "player.late-command=player.late")) {
            Apps.PlayerListeners listeners = app.getBean(Apps.PlayerListeners.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> listeners.counted.size() >= 3);
            assertThat(listeners.counted).containsExactly(1L, 2L, 3L);
        }
    }

    /** The player, with three reliable commands waiting for its engine the moment it starts receiving. */
    @SpringBootConfiguration
    @Import(Apps.PlayerApp.class)
    static class EarlyArrivalsApp {
        @Bean
        MbusEntityConfigCustomizer earlyArrivals(Environment environment) {
            int port = environment.getRequiredProperty(MbusTestBus.PORT, Integer.class);
            DatagramCodec codec = new DatagramCodec(new MbusKeys(HashAlgorithm.HMAC_MD5_96,
                    Base64.getDecoder().decode(environment.getRequiredProperty("mbus.security.hash-key")),
                    CipherAlgorithm.NOENCR, null));
            long now = System.currentTimeMillis();
            List<byte[]> early = LongStream.rangeClosed(1, 3).mapToObj(n -> codec.encode(new Message(n, now, true,
                    Address.parse("(app:early)"), Address.parse("(app:late-player)"), List.of(),
                    List.of(Command.of("test.count", n))))).toList();
            TransportSettings settings = TransportSettings.defaults().withPort(port).withNetworkInterface("127.0.0.1")
                    .withScope(Scope.HOSTLOCAL);
            return builder -> builder.transport(new EarlyArrivalsTransport(UdpTransport.open(settings), early,
                    new InetSocketAddress("127.0.0.1", 9)));
        }
    }
}
