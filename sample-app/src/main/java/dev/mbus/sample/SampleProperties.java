package dev.mbus.sample;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample application.
 *
 * @param role       Which role this instance plays: "player" (answers player.* commands),
 *                   "controller" (drives every player it meets) or "bridge" (forwards commands to and from
 *                   Kafka). The profiles "controller" and "bridge" set it.
 * @param player     Address of the players the controller drives.
 * @param controller The controller role.
 * @param activity   The list of recent messages shown on the page.
 * @param exitOnQuit Whether the application stops when another entity sends it mbus.quit.
 * @param web        The page's JSON API.
 * @param log        Log lines about what others send.
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("player") Role role, @DefaultValue("(app:sample-player)") String player,
        @DefaultValue Controller controller, @DefaultValue Activity activity,
        @DefaultValue("true") boolean exitOnQuit, @DefaultValue Web web, @DefaultValue Log log) {

    /** The roles; the bridge's (profile "bridge") is to stand on this bus for entities of other buses. */
    public enum Role { PLAYER, CONTROLLER, BRIDGE }

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

    /**
     * The web API.
     *
     * @param allowedHosts          Host names the page and the API answer for, besides localhost,
     *                              127.0.0.1, ::1 and server.address; requests for any other name are refused.
     * @param allowControlCommands  Whether /api/send may send the protocol's own mbus.* commands
     *                              (mbus.quit, mbus.waiting, ...) to other entities.
     */
    public record Web(@DefaultValue List<String> allowedHosts, @DefaultValue("false") boolean allowControlCommands) {
    }

    /**
     * Logging.
     *
     * @param linesPerSecond How many lines a second, on average, the application logs about commands received and
     *                       rejected and peers; a flood beyond that is dropped and counted.
     */
    public record Log(@DefaultValue("20") int linesPerSecond) {
    }
}
