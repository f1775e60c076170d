package dev.mbus.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.spring.test.MbusTestBus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

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
}
