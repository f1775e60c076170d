package dev.mbus.sample.web;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.InvalidDatagramException;
import dev.mbus.core.MbusException;
import dev.mbus.core.codec.MessageCodec;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.MbusValue;
import dev.mbus.sample.BusActivity;
import dev.mbus.sample.MbusText;
import dev.mbus.sample.SampleProperties;
import dev.mbus.sample.player.Player;
import dev.mbus.sample.player.PlayerStatus;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusOperations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON the page polls and posts to: the peers known, recent activity, and sending a command
 * written in Mbus syntax. Errors are RFC 9457 problem details whose {@code detail} the page shows.
 */
@RestController
@RequestMapping("/api")
class BusApiController {

    /** How long a reliable send or a request may keep a request thread; the engine gives up sooner. */
    private static final long WAIT_SECONDS = 10;
    /** The protocol's own commands: mbus.quit, mbus.waiting, mbus.go, mbus.hello, mbus.bye, ... */
    private static final String CONTROL_PREFIX = "mbus.";

    private final MbusEngine engine;
    private final MbusOperations mbus;
    private final BusActivity activity;
    private final ObjectProvider<Player> player;
    private final MessageCodec codec = new MessageCodec();
    private final boolean allowControlCommands;

    /** @param player the player, present in the player role only */
    BusApiController(MbusEngine engine, MbusOperations mbus, BusActivity activity, ObjectProvider<Player> player,
            SampleProperties properties) {
        this.engine = engine;
        this.mbus = mbus;
        this.activity = activity;
        this.player = player;
        this.allowControlCommands = properties.web().allowControlCommands();
    }

    /** A peer: its address, the IP:port its datagrams come from, when it was last heard. */
    record PeerView(String address, String endpoint, Instant lastHeard) {
    }

    /** This entity's address and its peers. */
    record PeersView(String self, List<PeerView> peers) {
    }

    /** How to send: unreliably, reliably (acknowledged), or as a request that waits for the reply. */
    enum Mode { SEND, RELIABLE, REQUEST }

    /**
     * A command to send.
     *
     * @param destination an address, e.g. {@code (app:sample-player)}
     * @param command     a command name, e.g. {@code player.volume}
     * @param args        its arguments in Mbus syntax, e.g. {@code (42)}; blank for none
     * @param mode        SEND (default), RELIABLE or REQUEST
     */
    record SendRequest(@NotBlank(message = "destination: an address such as (app:sample-player)") String destination,
            @NotBlank(message = "command: a name such as player.volume") String command, String args, Mode mode) {
    }

    /**
     * What happened.
     *
     * @param sent    the command as sent, in Mbus syntax
     * @param outcome "sent", "acknowledged" or "answered"
     * @param reply   the reply of a request, in Mbus syntax, or null
     */
    record SendResult(String sent, String outcome, String reply) {
    }

    @GetMapping("/peers")
    PeersView peers() {
        List<PeerView> peers = engine.peers().stream()
                .map(peer -> new PeerView(peer.address().toString(), MbusText.of(peer.endpoint()), peer.lastHeard()))
                .sorted(Comparator.comparing(PeerView::address))
                .toList();
        Address self = engine.address();
        return new PeersView(self == null ? null : self.toString(), peers);
    }

    @GetMapping("/messages")
    List<BusActivity.Entry> messages() {
        return activity.recent();
    }

    /** The player's state; 204 in the controller role, which has none. */
    @GetMapping("/player")
    ResponseEntity<PlayerStatus> player() {
        Player local = player.getIfAvailable();
        return local == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(local.status());
    }

    @PostMapping("/send")
    SendResult send(@Valid @RequestBody SendRequest request) throws InterruptedException, TimeoutException {
        Address destination = destination(request.destination());
        Command command = command(request.command().strip(), request.args());
        if (onlyThisEntity(destination)) {
            throw new BadRequest("destination: " + destination + " matches only this entity, and an entity does not "
                    + "hear its own messages; send to a peer, e.g. a bin/mbus listen or a second instance");
        }
        if (command.name().startsWith(CONTROL_PREFIX) && !allowControlCommands) {
            throw new Forbidden("command: " + command.name() + " is one of the protocol's control commands, which this "
                    + "page does not send to other entities (sample.web.allow-control-commands=true allows it)");
        }
        String sent = MbusText.of(command);
        switch (request.mode() == null ? Mode.SEND : request.mode()) {
            case SEND -> {
                mbus.send(destination, command);
                return new SendResult(sent, "sent", null);
            }
            case RELIABLE -> {
                await(mbus.sendReliable(destination, command));
                return new SendResult(sent, "acknowledged", null);
            }
            default -> {
                IncomingCommand reply = await(mbus.request(destination, command));
                return new SendResult(sent, "answered", MbusText.of(reply.command()));
            }
        }
    }

    private boolean onlyThisEntity(Address destination) {
        Address self = engine.address();
        return self != null && destination.matches(self)
                && engine.peers().stream().noneMatch(peer -> destination.matches(peer.address()));
    }

    private static Address destination(String text) {
        try {
            return Address.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("destination: " + e.getMessage());
        }
    }

    private Command command(String name, String args) {
        List<MbusValue> values;
        try {
            values = args == null || args.isBlank() ? List.of() : codec.parseArguments(args.strip());
        } catch (InvalidDatagramException e) {
            throw new BadRequest("arguments: " + e.getMessage() + " (write them as a list, e.g. (42 \"text\" (1 2)))");
        }
        try {
            return new Command(name, values);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("command: " + e.getMessage()
                    + " (a letter, then letters, digits, '_', '-' or '.', e.g. player.volume)");
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws InterruptedException, TimeoutException {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @ExceptionHandler
    ProblemDetail badRequest(BadRequest e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail forbidden(Forbidden e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(MethodArgumentNotValidException e) {
        String detail = e.getBindingResult().getFieldErrors().stream().map(error -> error.getDefaultMessage())
                .sorted().collect(Collectors.joining("; "));
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    }

    /** Unknown or ambiguous destination, no acknowledgement, no reply in time. */
    @ExceptionHandler
    ProblemDetail notDelivered(DeliveryException e) {
        String reason = e.reason().name().toLowerCase().replace('_', ' ');
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, reason + ": " + e.getMessage());
    }

    /** Anything else the engine refuses, such as a message too large for one datagram. */
    @ExceptionHandler
    ProblemDetail refused(MbusException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail noOutcome(TimeoutException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, "no outcome within " + WAIT_SECONDS + " s");
    }

    /** A request this application will not carry out, whatever is corrected. */
    static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }

    /** A request the page can correct: the detail says which field and why. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
