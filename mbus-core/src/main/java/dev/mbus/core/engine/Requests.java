package dev.mbus.core.engine;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Request and reply (the {@code <name>.return} convention of gmbus, protocol §10) and the
 * rendezvous of protocol §7 ({@code mbus.waiting} repeated until {@code mbus.go}). The futures
 * here complete on the engine's threads; the entity hands them to the user's executor.
 */
final class Requests {

    private static final String RETURN_SUFFIX = ".return";

    private record Rendezvous(Address destination, String token, long[] nextRepeat) {
    }

    private final MessageSender sender;
    private final MbusClock clock;
    private final long waitingIntervalNanos;
    private final Waiters<IncomingCommand, IncomingCommand> replies = new Waiters<>();
    private final Waiters<MbusEvent.GoReceived, Address> goes = new Waiters<>();
    private final List<Rendezvous> rendezvous = new CopyOnWriteArrayList<>();

    Requests(EntityConfig config, MessageSender sender) {
        this.sender = sender;
        this.clock = config.clock();
        this.waitingIntervalNanos = config.timers().waitingInterval().toNanos();
    }

    /** Sends {@code command} reliably to the one entity {@code destination} matches and waits for its reply. */
    CompletableFuture<IncomingCommand> request(Address destination, Command command, Duration timeout) {
        Address responder = sender.uniquePeer(destination);
        String replyName = command.name() + RETURN_SUFFIX;
        AtomicBoolean acknowledged = new AtomicBoolean();
        // Once the request is acknowledged, a timeout means the responder chose to send nothing:
        // a failed or void handler (this convention has no error reply), not a lost datagram.
        CompletableFuture<IncomingCommand> reply = replies.add(
                in -> in.source().equals(responder) && in.name().equals(replyName), in -> in,
                clock.nanoTime() + timeout.toNanos(),
                () -> acknowledged.get()
                        ? responder + " acknowledged " + command.name() + " but sent no " + replyName + " within "
                                + timeout.toMillis() + " ms (its handler failed, returned nothing or is slow)"
                        : "no " + replyName + " from " + responder + " within " + timeout.toMillis() + " ms");
        sender.sendReliable(destination, List.of(command)).whenComplete((ok, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
            } else {
                acknowledged.set(true);
            }
        });
        return reply;
    }

    /** Answers a request: sends {@code <name>.return (values)} reliably to its source. */
    CompletableFuture<Void> reply(IncomingCommand request, List<?> values) {
        return sender.sendReliable(request.source(), List.of(Command.of(request.name() + RETURN_SUFFIX, values.toArray())));
    }

    /** A reply heard; whether it answered a request (then nothing else sees it). */
    boolean offerReply(IncomingCommand incoming) {
        return incoming.name().endsWith(RETURN_SUFFIX) && replies.offer(incoming, true);
    }

    /** Repeats {@code mbus.waiting(token)} to {@code destination} until an entity answers {@code mbus.go(token)}. */
    CompletableFuture<Address> awaitGo(Address destination, String token, Duration timeout) {
        CompletableFuture<Address> go = goes.add(heard -> heard.token().equals(token), MbusEvent.GoReceived::source,
                clock.nanoTime() + timeout.toNanos(),
                "no mbus.go(\"" + token + "\") within " + timeout.toMillis() + " ms");
        Rendezvous wait = new Rendezvous(destination, token, new long[] {clock.nanoTime()});
        rendezvous.add(wait);
        go.whenComplete((who, error) -> rendezvous.remove(wait));
        repeatWaiting(clock.nanoTime());
        return go;
    }

    /** Releases entities waiting for {@code token}: reliably when one entity matches, else unreliably. */
    CompletableFuture<Void> sendGo(Address destination, String token) {
        Command go = Command.of("mbus.go", token);
        if (sender.uniquePeerOrNull(destination) != null) {
            return sender.sendReliable(destination, List.of(go));
        }
        sender.send(destination, List.of(go));
        return CompletableFuture.completedFuture(null);
    }

    void offerGo(MbusEvent.GoReceived go) {
        goes.offer(go, false);
    }

    /** Repeats what is due and times out what waited too long. */
    void onTimer(long now) {
        repeatWaiting(now);
        replies.expire(now);
        goes.expire(now);
    }

    private void repeatWaiting(long now) {
        for (Rendezvous wait : rendezvous) {
            if (now - wait.nextRepeat[0] >= 0) {
                wait.nextRepeat[0] = now + waitingIntervalNanos;
                sender.sendNow(wait.destination, Command.of("mbus.waiting", wait.token));
            }
        }
    }

    /** Whether a request waits for its reply or a rendezvous for its go: timeouts and repeats that need ticks. */
    boolean hasWaiters() {
        return replies.hasWaiters() || goes.hasWaiters() || !rendezvous.isEmpty();
    }

    void failAll(DeliveryException.Reason reason, String why) {
        replies.failAll(reason, why);
        goes.failAll(reason, why);
    }
}
