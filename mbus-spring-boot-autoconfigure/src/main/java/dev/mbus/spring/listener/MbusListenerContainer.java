package dev.mbus.spring.listener;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.support.MbusArgumentsResolver;
import dev.mbus.spring.support.MbusConversionException;
import dev.mbus.spring.support.MbusHeaders;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.Lifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Runs one {@link MbusListenerEndpoint}: subscribes its command patterns on the engine while
 * running, and for each command binds the arguments, calls the method through the registry's
 * interceptors, and sends the return value back: at once, or, when the method returns a
 * {@code CompletionStage} or a single-value reactive type such as Reactor's {@code Mono}, when
 * that completes (a failure goes to the error handler, as a thrown exception does).
 *
 * <p>Calls come on the engine's handler threads, one at a time and in order per sender;
 * commands of different senders may run at once. {@link #stop()} stops new commands from
 * arriving; commands already queued by the engine still run.
 */
public class MbusListenerContainer implements Lifecycle {

    private static final Log logger = LogFactory.getLog(MbusListenerContainer.class);

    private final MbusListenerEndpoint endpoint;
    private final MbusListenerEndpointRegistry registry;
    private final MbusCommandSubscription subscription;
    private final AtomicInteger active = new AtomicInteger();
    /** Notified when the last running call ends, for {@link #awaitIdle}. */
    private final Object idle = new Object();
    private final LongAdder invocations = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder surplusArguments = new LongAdder();
    private final AtomicBoolean surplusLogged = new AtomicBoolean();
    /** Arguments the method takes by position; -1 when one parameter takes them all. */
    private final int positionalCount;

    MbusListenerContainer(MbusListenerEndpoint endpoint, MbusListenerEndpointRegistry registry) {
        this.endpoint = endpoint;
        this.registry = registry;
        this.positionalCount = MbusArgumentsResolver.positionalCount(endpoint.getMethod());
        this.subscription = new MbusCommandSubscription(endpoint.getCommands(), endpoint.getDestinationFilter(),
                this::onCommand);
    }

    public String getId() {
        return endpoint.getId();
    }

    public MbusListenerEndpoint getEndpoint() {
        return endpoint;
    }

    /** Subscribes the endpoint's patterns on the running engine. */
    @Override
    public void start() {
        subscription.subscribe(registry.engine().entity());
        if (logger.isDebugEnabled()) {
            logger.debug("Started Mbus listener '" + getId() + "' on " + endpoint.getCommands());
        }
    }

    /** Unsubscribes: no new command reaches this listener. */
    @Override
    public void stop() {
        subscription.unsubscribe();
    }

    @Override
    public boolean isRunning() {
        return subscription.isSubscribed();
    }

    /** Listener calls so far. */
    public long getInvocationCount() {
        return invocations.sum();
    }

    /** Listener calls that failed so far (a thrown exception or arguments that did not bind). */
    public long getErrorCount() {
        return errors.sum();
    }

    /** Listener calls running now. */
    public int getActiveCount() {
        return active.get();
    }

    /** Commands that came with more arguments than the listener takes by position. */
    public long getSurplusArgumentCount() {
        return surplusArguments.sum();
    }

    void onCommand(IncomingCommand incoming) {
        active.incrementAndGet();
        CompletableFuture<?> pending = null;
        try {
            pending = invoke(incoming);
        } finally {
            if (pending == null) {
                callEnded();
            } else {
                pending.whenComplete((done, error) -> callEnded());
            }
        }
    }

    /** A call ends when the method returns, or when the future it returned completes. */
    private void callEnded() {
        if (active.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no listener call runs, or until {@code deadline} ({@link System#nanoTime()}).
     *
     * @return whether no call runs; false when the deadline passed first
     */
    boolean awaitIdle(long deadline) throws InterruptedException {
        synchronized (idle) {
            // Checked under the lock the last call notifies with, so that no notification is missed.
            while (active.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    /** Calls the listener; returns the future of an asynchronous result, whose reply goes when it completes. */
    private CompletableFuture<?> invoke(IncomingCommand incoming) {
        invocations.increment();
        Message<List<MbusValue>> message = MbusHeaders.toMessage(incoming, getId());
        MbusListenerInvocation invocation = new MbusListenerInvocation(getId(), incoming);
        InvocableHandlerMethod method = endpoint.getHandlerMethod();
        Object result;
        try {
            checkArgumentCount(incoming);
            result = intercepted(invocation, registry.interceptors(), 0,
                    () -> method instanceof MbusListenerMethod reporting ? reporting.invoke(message, invocation)
                            : method.invoke(message));
        } catch (Exception | LinkageError | AssertionError e) {
            failed(incoming, message, e);
            return null;
        }
        CompletableFuture<?> async = AsyncResults.toFuture(result);
        if (async == null) {
            if (result != null) {
                reply(incoming, result, endpoint.getSendTo());
            }
            return null;
        }
        return async.handle((value, error) -> {
            if (error != null) {
                failed(incoming, message, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else if (value != null) {
                reply(incoming, value, endpoint.getSendTo());
            }
            return null;
        });
    }

    /** Counts, and logs once, commands with arguments the method does not take; fails them when strict. */
    private void checkArgumentCount(IncomingCommand incoming) {
        int takes = positionalCount;
        int has = incoming.command().args().size();
        if (takes < 0 || has <= takes) {
            return;
        }
        surplusArguments.increment();
        String what = incoming.name() + " came with " + has + " arguments; listener '" + getId() + "' takes " + takes;
        if (registry.isRejectSurplusArguments()) {
            throw new MbusConversionException(what + " (mbus.listener.reject-surplus-arguments=true)");
        }
        if (surplusLogged.compareAndSet(false, true)) {
            logger.warn(what + "; the extra arguments are ignored (counted, logged only this once; set"
                    + " mbus.listener.reject-surplus-arguments=true to refuse such commands)");
        }
    }

    private void failed(IncomingCommand incoming, Message<List<MbusValue>> message, Throwable e) {
        errors.increment();
        ListenerExecutionFailedException failure = new ListenerExecutionFailedException(getId(), incoming, message, e);
        MbusListenerErrorHandler handler = endpoint.getErrorHandler() != null ? endpoint.getErrorHandler()
                : registry.getDefaultErrorHandler();
        try {
            Object errorResult = handler.handleError(incoming, message, failure);
            if (errorResult != null) {
                reply(incoming, errorResult, null);
            }
        } catch (Exception handlerFailure) {
            logger.warn(failure.getMessage() + "; the error handler failed too: " + handlerFailure, handlerFailure);
        }
    }

    private static Object intercepted(MbusListenerInvocation invocation, List<MbusListenerInterceptor> chain, int index,
            MbusListenerInterceptor.Proceed last) throws Exception {
        if (index == chain.size()) {
            return last.proceed();
        }
        return chain.get(index).intercept(invocation, () -> intercepted(invocation, chain, index + 1, last));
    }

    private void reply(IncomingCommand incoming, Object result, String sendTo) {
        MbusEntity current = subscription.entity();
        try {
            List<MbusValue> values = registry.getConverter().toReplyArguments(result);
            CompletableFuture<Void> sent;
            if (sendTo == null) {
                sent = current.reply(incoming, values);
            } else {
                sent = sendTo(current, incoming, sendTo, new Command(commandOf(sendTo), values));
            }
            sent.whenComplete((ok, error) -> {
                if (error != null) {
                    logger.warn("Mbus listener '" + getId() + "' could not send its result for " + incoming.name()
                            + " from " + incoming.source() + ": " + error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            logger.warn("Mbus listener '" + getId() + "' could not send its result for " + incoming.name() + " from "
                    + incoming.source() + ": " + e, e);
        }
    }

    /** To the sender reliably; to another address reliably when it is one known entity, else to the group. */
    private static CompletableFuture<Void> sendTo(MbusEntity entity, IncomingCommand incoming, String spec,
            Command command) {
        Address destination = destinationOf(spec);
        if (destination == null) {
            return entity.sendReliable(incoming.source(), command);
        }
        if (entity.peers().stream().filter(peer -> destination.matches(peer.address())).count() == 1) {
            return entity.sendReliable(destination, command);
        }
        entity.send(destination, command);
        return CompletableFuture.completedFuture(null);
    }

    /** The address of {@code "(app:ui) ui.update"}, or null for {@code "ui.update"}. */
    static Address destinationOf(String sendTo) {
        String spec = sendTo.strip();
        if (!spec.startsWith("(")) {
            return null;
        }
        int close = spec.indexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("@SendTo \"" + sendTo + "\": unclosed address");
        }
        return Address.parse(spec.substring(0, close + 1));
    }

    /** The command of {@code "(app:ui) ui.update"} or {@code "ui.update"}. */
    static String commandOf(String sendTo) {
        String spec = sendTo.strip();
        return spec.startsWith("(") ? spec.substring(spec.indexOf(')') + 1).strip() : spec;
    }

    @Override
    public String toString() {
        return "MbusListenerContainer[" + getId() + " " + endpoint.getCommands() + (isRunning() ? " running" : "") + "]";
    }
}
