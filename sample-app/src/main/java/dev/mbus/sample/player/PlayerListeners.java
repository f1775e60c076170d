package dev.mbus.sample.player;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.sample.LogBudget;
import dev.mbus.sample.LogText;
import dev.mbus.sample.MbusText;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.support.MbusHeaders;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * The player's commands. Each method handles the commands its {@code @MbusListener} names; its
 * parameters take the command's arguments, converted to their types; a return value goes back to
 * the sender as the reply, {@code <command>.return}. Arguments are checked with Bean Validation
 * ({@code @Validated}); a command that fails goes to the error handler the application sets
 * (see {@code SampleApplication}), which logs and shows it.
 *
 * <pre>
 * player.load (("Blue in Green" 337.5))   player.play ()   player.pause ()
 * player.volume (42)                       player.seek (60.0)
 * player.status ()  -&gt;  player.status.return (PLAYING "Blue in Green" 60.0 337.5 42)
 * </pre>
 */
@Component
@Validated
@ConditionalOnProperty(name = "sample.role", havingValue = "player", matchIfMissing = true)
public class PlayerListeners {

    private static final Logger log = LoggerFactory.getLogger(PlayerListeners.class);

    private final Player player;
    private final LogBudget logBudget;

    public PlayerListeners(Player player, LogBudget logBudget) {
        this.player = player;
        this.logBudget = logBudget;
    }

    /** {@code player.load (("title" seconds))}: a list argument becomes a record. */
    @MbusListener("player.load")
    public void load(@Valid Track track) {
        player.load(track);
    }

    @MbusListener("player.play")
    public void play() {
        player.play();
    }

    @MbusListener("player.pause")
    public void pause() {
        player.pause();
    }

    /** {@code player.volume (42)}: 0 to 100. */
    @MbusListener("player.volume")
    public void volume(@Min(value = 0, message = "volume must be 0 to 100")
            @Max(value = 100, message = "volume must be 0 to 100") int level) {
        player.volume(level);
    }

    /** {@code player.seek (60.0)}: an integer is taken as well. */
    @MbusListener("player.seek")
    public void seek(@PositiveOrZero(message = "cannot seek before the start") double seconds) {
        player.seek(seconds);
    }

    /** A request: the record returned is the reply, {@code player.status.return (PLAYING "..." 60.0 337.5 42)}. */
    @MbusListener("player.status")
    public PlayerStatus status() {
        return player.status();
    }

    /**
     * A prefix pattern: sees every {@code player.*} command, beside the listener that handles it.
     * Headers give what the message says about itself; the IncomingCommand is the whole of it.
     * What others sent is logged escaped and shortened, and no faster than the log budget allows.
     */
    @MbusListener(id = "player-log", value = "player.*")
    public void logEveryCommand(IncomingCommand incoming, @Header(MbusHeaders.SOURCE) Address source,
            @Header(MbusHeaders.RELIABLE) boolean reliable) {
        String dropped = logBudget.admit();
        if (dropped != null) {
            log.info("Received {} from {}{}{}", LogText.of(MbusText.of(incoming.command())), LogText.of(source),
                    reliable ? ", reliably" : "", dropped);
        }
    }
}
