package dev.mbus.spring.core;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.DeliveryException.Reason;
import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.spring.core.MbusTemplateOperation.Kind;
import dev.mbus.spring.support.MbusValueConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.core.convert.TypeDescriptor;

/**
 * The {@link MbusOperations} of one {@link MbusEngine}. Thread-safe; configure it before use.
 *
 * <p>It does not implement spring-messaging's {@code MessageSendingOperations}: every Mbus
 * message needs a command name besides destination and payload, so the generic
 * {@code convertAndSend(destination, payload)} shape would only hide it in a header.
 */
public class MbusTemplate implements MbusOperations {

    private final MbusEngine engine;
    private volatile MbusValueConverter converter = new MbusValueConverter();
    private volatile Address defaultDestination = Address.BROADCAST;
    private volatile Duration replyTimeout = Duration.ofSeconds(5);
    private volatile Duration awaitDestination = Duration.ZERO;
    private volatile List<MbusTemplateInterceptor> interceptors = List.of();

    public MbusTemplate(MbusEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** Where the methods without a destination send; {@code ()} (every entity) by default. */
    public void setDefaultDestination(Address defaultDestination) {
        this.defaultDestination = Objects.requireNonNull(defaultDestination, "defaultDestination");
    }

    public Address getDefaultDestination() {
        return defaultDestination;
    }

    /** How long a request waits for its reply when no timeout is given; 5 s by default. */
    public void setReplyTimeout(Duration replyTimeout) {
        this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
    }

    public Duration getReplyTimeout() {
        return replyTimeout;
    }

    /**
     * How long a send waits for its destination to be heard when no known entity matches it;
     * zero (the default) sends at once: reliable sends and requests then fail with
     * {@code UNKNOWN_DESTINATION}, unreliable ones reach nobody. A broadcast destination never waits.
     */
    public void setAwaitDestination(Duration awaitDestination) {
        if (Objects.requireNonNull(awaitDestination, "awaitDestination").isNegative()) {
            throw new IllegalArgumentException("awaitDestination must not be negative: " + awaitDestination);
        }
        this.awaitDestination = awaitDestination;
    }

    public Duration getAwaitDestination() {
        return awaitDestination;
    }

    public void setConverter(MbusValueConverter converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    public MbusValueConverter getConverter() {
        return converter;
    }

    /** Interceptors around every send, the first outermost. */
    public void setInterceptors(List<MbusTemplateInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
    }

    /** Adds an interceptor inside those already set. */
    public void addInterceptor(MbusTemplateInterceptor interceptor) {
        List<MbusTemplateInterceptor> more = new ArrayList<>(interceptors);
        more.add(Objects.requireNonNull(interceptor, "interceptor"));
        this.interceptors = List.copyOf(more);
    }

    public MbusEngine getEngine() {
        return engine;
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void send(Address destination, Command... commands) {
        List<Command> list = List.of(commands);
        MbusEntity entity = engine.entity();
        CompletableFuture<Void> done = intercepted(new MbusTemplateOperation(Kind.SEND, destination, list), () -> {
            awaitHeard(entity, destination);
            entity.send(destination, list);
            return CompletableFuture.completedFuture(null);
        });
        if (done.isCompletedExceptionally()) {
            done.join(); // an interceptor turned the send into a failure: report it here
        }
    }

    @Override
    public void send(Command... commands) {
        send(defaultDestination, commands);
    }

    @Override
    public CompletableFuture<Void> sendReliable(Address destination, Command... commands) {
        List<Command> list = List.of(commands);
        MbusEntity entity = engine.entity();
        return intercepted(new MbusTemplateOperation(Kind.SEND_RELIABLE, destination, list),
                () -> heard(entity, destination).thenCompose(known -> entity.sendReliable(destination, list)));
    }

    @Override
    public CompletableFuture<Void> sendReliable(Command... commands) {
        return sendReliable(defaultDestination, commands);
    }

    @Override
    public void convertAndSend(Address destination, String command, Object... args) {
        send(destination, command(command, args));
    }

    @Override
    public void convertAndSendDefault(String command, Object... args) {
        convertAndSend(defaultDestination, command, args);
    }

    @Override
    public CompletableFuture<Void> convertAndSendReliable(Address destination, String command, Object... args) {
        return sendReliable(destination, command(command, args));
    }

    @Override
    public CompletableFuture<Void> convertAndSendReliableDefault(String command, Object... args) {
        return convertAndSendReliable(defaultDestination, command, args);
    }

    // ------------------------------------------------------------------ request / reply

    @Override
    public CompletableFuture<IncomingCommand> request(Address destination, Command command, Duration timeout) {
        MbusEntity entity = engine.entity();
        return intercepted(new MbusTemplateOperation(Kind.REQUEST, destination, List.of(command)),
                () -> heard(entity, destination).thenCompose(known -> entity.request(destination, command, timeout)));
    }

    @Override
    public CompletableFuture<IncomingCommand> request(Address destination, Command command) {
        return request(destination, command, replyTimeout);
    }

    @Override
    public CompletableFuture<IncomingCommand> request(Command command) {
        return request(defaultDestination, command, replyTimeout);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> convertSendAndReceive(Address destination, String command, Class<T> replyType,
            Object... args) {
        Objects.requireNonNull(replyType, "replyType");
        MbusValueConverter conv = converter;
        return request(destination, command(command, args)).thenApply(reply -> {
            if (replyType == Void.class || replyType == void.class) {
                return null;
            }
            return (T) conv.fromArguments(reply.command().args(), TypeDescriptor.valueOf(replyType),
                    "reply " + reply.name());
        });
    }

    @Override
    public <T> CompletableFuture<T> convertSendAndReceiveDefault(String command, Class<T> replyType, Object... args) {
        return convertSendAndReceive(defaultDestination, command, replyType, args);
    }

    @Override
    public CompletableFuture<Peer> awaitDestination(Address destination, Duration timeout) {
        return engine.entity().awaitPeer(destination, timeout);
    }

    // ------------------------------------------------------------------ internals

    /** Completes when {@code destination} has been heard, within the await time; at once when not waiting. */
    private CompletableFuture<Void> heard(MbusEntity entity, Address destination) {
        Duration wait = awaitDestination;
        if (wait.isZero() || destination.isBroadcast()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> heard = new CompletableFuture<>();
        entity.awaitPeer(destination, wait).whenComplete((peer, failure) -> {
            if (failure == null) {
                heard.complete(null);
            } else if (failure instanceof DeliveryException delivery && delivery.reason() == Reason.TIMEOUT) {
                heard.completeExceptionally(new DeliveryException(Reason.UNKNOWN_DESTINATION, "no known entity "
                        + "matches " + destination + ", none heard within " + wait.toMillis()
                        + " ms (mbus.template.await-destination); nothing sent"));
            } else {
                heard.completeExceptionally(failure);
            }
        });
        return heard;
    }

    /** {@link #heard}, on the caller's thread: an unreliable send has no future to wait in. */
    private void awaitHeard(MbusEntity entity, Address destination) {
        try {
            heard(entity, destination).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private Command command(String name, Object... args) {
        return new Command(name, converter.toArguments(args));
    }

    private <T> CompletableFuture<T> intercepted(MbusTemplateOperation operation, Supplier<CompletableFuture<T>> send) {
        List<MbusTemplateInterceptor> chain = interceptors;
        Supplier<CompletableFuture<T>> next = send;
        for (int i = chain.size() - 1; i >= 0; i--) {
            MbusTemplateInterceptor interceptor = chain.get(i);
            Supplier<CompletableFuture<T>> inner = next;
            next = () -> interceptor.intercept(operation, inner);
        }
        return next.get();
    }

    @Override
    public String toString() {
        return "MbusTemplate[" + engine + ", default destination " + defaultDestination + "]";
    }
}
