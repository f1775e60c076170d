package dev.mbus.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample application.
 *
 * @param role       Which role this instance plays: "player" (answers player.* commands) or
 *                   "controller" (drives every player it meets). The profile "controller" sets it.
 * @param player     Address of the players the controller drives.
 * @param controller The controller role.
 * @param activity   The list of recent messages shown on the page.
 * @param exitOnQuit Whether the application stops when another entity sends it mbus.quit.
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("player") Role role, @DefaultValue("(app:sample-player)") String player,
        @DefaultValue Controller controller, @DefaultValue Activity activity,
        @DefaultValue("true") boolean exitOnQuit) {

    /** The two roles. */
    public enum Role { PLAYER, CONTROLLER }

    /**
     * The controller.
     *
     * @param statusInterval How often the controller asks every player it knows for its status.
     */
    public record Controller(@DefaultValue("10s") Duration statusInterval) {
    }

    /**
     * Recent activity.
     *
     * @param capacity How many messages and peer events the page can show; older ones are dropped.
     */
    public record Activity(@DefaultValue("50") int capacity) {
    }
}
