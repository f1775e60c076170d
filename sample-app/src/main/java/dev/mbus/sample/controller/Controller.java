package dev.mbus.sample.controller;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;
import dev.mbus.sample.SampleProperties;
import dev.mbus.sample.player.PlayerStatus;
import dev.mbus.sample.player.Track;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.event.MbusPeerJoinedEvent;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The controller role: when a player joins the bus, loads a track into it, sets the volume,
 * starts it and asks for its status; then asks every player it knows for its status every
 * {@code sample.controller.status-interval}. Reliable sends and requests go to the exact address
 * of one player, so that each reaches exactly one entity even when several players run.
 */
@Component
@EnableScheduling
@ConditionalOnProperty(name = "sample.role", havingValue = "controller")
public class Controller {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final MbusOperations mbus;
    private final MbusEngine engine;
    private final Address players;

    public Controller(MbusOperations mbus, MbusEngine engine, SampleProperties properties) {
        this.mbus = mbus;
        this.engine = engine;
        this.players = Address.parse(properties.player());
    }

    @EventListener
    void playerJoined(MbusPeerJoinedEvent event) {
        Address player = event.getPeer().address();
        if (!players.matches(player)) {
            return;
        }
        log.info("Driving the new player {}", player);
        Track track = new Track("Blue in Green", 337.5);
        send(player, "player.load", track)
                .thenCompose(ok -> send(player, "player.volume", 60))
                .thenCompose(ok -> send(player, "player.play"))
                .thenCompose(ok -> askStatus(player))
                .exceptionally(error -> {
                    log.warn("Could not drive {}: {}", player, error.getMessage());
                    return null;
                });
    }

    @Scheduled(initialDelayString = "${sample.controller.status-interval:10s}",
            fixedDelayString = "${sample.controller.status-interval:10s}")
    void pollPlayers() {
        for (Peer peer : engine.peers()) {
            if (players.matches(peer.address())) {
                askStatus(peer.address()).exceptionally(error -> {
                    log.warn("No status from {}: {}", peer.address(), error.getMessage());
                    return null;
                });
            }
        }
    }

    /** Sends one command reliably: the future completes when the player has acknowledged it. */
    private CompletableFuture<Void> send(Address player, String command, Object... args) {
        return mbus.convertAndSendReliable(player, command, args);
    }

    /** A request: {@code player.status ()}, answered with {@code player.status.return (...)}. */
    private CompletableFuture<PlayerStatus> askStatus(Address player) {
        return mbus.convertSendAndReceive(player, "player.status", PlayerStatus.class).thenApply(status -> {
            log.info("Player {} is {}", player, status);
            return status;
        });
    }
}
