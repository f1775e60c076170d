package dev.mbus.sample.controller;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.sample.SampleProperties;
import dev.mbus.sample.player.PlayerStatus;
import dev.mbus.sample.player.Track;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.event.MbusPeerJoinedEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The controller role: when a player joins the bus and answers, loads a track into it, sets the
 * volume, starts it and asks for its status; then asks every player it knows for its status every
 * {@code sample.controller.status-interval}. Reliable sends and requests go to the exact address
 * of one player, so that each reaches exactly one entity even when several players run.
 */
@Component
@EnableScheduling
@ConditionalOnProperty(name = "sample.role", havingValue = "controller")
public class Controller {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final int READY_ATTEMPTS = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(1);

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
        log.info("Found the player {}", player);
        Track track = new Track("Blue in Green", 337.5);
        whenAnswering(player, READY_ATTEMPTS)
                .thenCompose(ok -> send(player, "player.load", track))
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

    /**
     * Completes once the player answers {@code player.status}. An entity is heard as soon as it
     * joins, which can be a moment before its listeners run: what it receives meanwhile is
     * acknowledged (received) but handled by nobody, so the first commands wait for an answer.
     */
    private CompletableFuture<IncomingCommand> whenAnswering(Address player, int attempts) {
        return mbus.request(player, Command.of("player.status"), READY_TIMEOUT).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            boolean unanswered = cause instanceof DeliveryException delivery
                    && delivery.reason() == DeliveryException.Reason.TIMEOUT;
            return unanswered && attempts > 1 ? whenAnswering(player, attempts - 1) : CompletableFuture.failedFuture(cause);
        });
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
