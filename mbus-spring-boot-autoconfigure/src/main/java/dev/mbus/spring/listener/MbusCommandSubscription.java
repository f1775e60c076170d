package dev.mbus.spring.listener;

import dev.mbus.core.engine.CommandHandler;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.Subscription;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.CommandPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.util.Assert;

/**
 * Command patterns subscribed on an entity for one handler, with the destination filter that
 * goes with them: how a {@link MbusListenerContainer} and the Spring Integration inbound adapter
 * take commands from the engine. The handler runs on the engine's handler threads, in order per
 * sender, never on its receive or timer thread.
 */
public final class MbusCommandSubscription {

    private final List<String> patterns;
    private final Address destinationFilter;
    private final CommandHandler handler;
    private final Object monitor = new Object();
    private List<Subscription> subscriptions = List.of();
    private MbusEntity entity;

    /**
     * @param patterns          command names and prefix patterns ({@code tool.rat.*}, {@code *})
     * @param destinationFilter only messages whose destination contains every element of this
     *                          address reach the handler; null for every message the entity receives
     */
    public MbusCommandSubscription(List<String> patterns, Address destinationFilter, CommandHandler handler) {
        Assert.notEmpty(patterns, "No command pattern");
        for (String pattern : patterns) {
            Assert.isTrue(CommandPattern.isValid(pattern), () -> "'" + pattern
                    + "' is not a command pattern (a command name, a prefix such as tool.rat.*, or *)");
        }
        this.patterns = List.copyOf(patterns);
        this.destinationFilter = destinationFilter;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    public List<String> getPatterns() {
        return patterns;
    }

    /** Subscribes on {@code target}; nothing when already subscribed there, a move when subscribed on another entity. */
    public void subscribe(MbusEntity target) {
        synchronized (monitor) {
            if (!subscriptions.isEmpty() && entity == target) {
                return;
            }
            subscriptions.forEach(Subscription::close);
            List<Subscription> subscribed = new ArrayList<>();
            for (String pattern : patterns) {
                subscribed.add(target.subscribe(pattern, this::deliver));
            }
            this.entity = target;
            this.subscriptions = List.copyOf(subscribed);
        }
    }

    /** No new command reaches the handler; those the engine already queued still do. */
    public void unsubscribe() {
        synchronized (monitor) {
            subscriptions.forEach(Subscription::close);
            subscriptions = List.of();
        }
    }

    /** Whether subscribed on an entity that is running. */
    public boolean isSubscribed() {
        synchronized (monitor) {
            return !subscriptions.isEmpty() && entity != null && entity.isRunning();
        }
    }

    /** The entity last subscribed on, or null: where replies to its commands go. */
    public MbusEntity entity() {
        synchronized (monitor) {
            return entity;
        }
    }

    private void deliver(IncomingCommand incoming) throws Exception {
        if (destinationFilter == null || destinationFilter.matches(incoming.message().destination())) {
            handler.handle(incoming);
        }
    }
}
