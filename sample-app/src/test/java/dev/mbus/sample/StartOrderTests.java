package dev.mbus.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.sample.player.Player;
import dev.mbus.sample.player.PlayerStatus;
import dev.mbus.sample.player.PlayerStatus.State;
import dev.mbus.spring.test.MbusTestBus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the sample on a bus of their own, started in the order a user may well choose:
 * the controller first. The player is heard as soon as it joins, a moment before its listeners
 * run; the controller waits for it to answer before it sends the commands that matter.
 */
class StartOrderTests {

    @Test
    void aControllerStartedFirstDrivesThePlayerThatJoinsLater() {
        MbusTestBus bus = MbusTestBus.create();
        try (ConfigurableApplicationContext controller = start(bus, "controller", WebApplicationType.NONE);
                ConfigurableApplicationContext player = start(bus, "default", WebApplicationType.SERVLET)) {
            Player state = player.getBean(Player.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PlayerStatus status = state.status();
                assertThat(status.state()).isEqualTo(State.PLAYING);
                assertThat(status.title()).isEqualTo("Blue in Green");
                assertThat(status.volume()).isEqualTo(60);
            });
            assertThat(controller.isActive()).isTrue();
        }
    }

    /** The player serves its page as the packaged one does: its web server starts after it joined the bus. */
    private static ConfigurableApplicationContext start(MbusTestBus bus, String profile, WebApplicationType web) {
        return new SpringApplicationBuilder(SampleApplication.class).web(web)
                .bannerMode(Banner.Mode.OFF).profiles(profile).initializers(bus.initializer(null))
                .run("--server.port=0", "--sample.controller.status-interval=1h");
    }
}
