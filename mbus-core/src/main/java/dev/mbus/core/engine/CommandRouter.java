package dev.mbus.core.engine;

import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.CommandPattern;
import dev.mbus.core.message.MbusValue;
import dev.mbus.core.message.Message;
import dev.mbus.core.message.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Takes the messages the pipeline delivers, in each sender's order: answers the {@code mbus.*}
 * commands of protocol §7 and replies, and queues a call for every handler whose pattern a
 * command matches. The bytes a message holds go back to the {@link InboundBudget} when its last
 * handler call has ended.
 */
final class CommandRouter {

    private static final System.Logger LOG = System.getLogger(CommandRouter.class.getName());

    private record Route(String pattern, CommandHandler handler) {
    }

    private final Address address;
    private final OrderedDispatcher dispatcher;
    private final InboundBudget budget;
    private final Awareness awareness;
    private final EntityCounters counters;
    private final BiConsumer<IncomingCommand, Throwable> errorHandler;
    private final FirstFailureLog handlerFailures = new FirstFailureLog(LOG, "handler");
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private Requests requests;

    CommandRouter(EntityConfig config, OrderedDispatcher dispatcher, InboundBudget budget, Awareness awareness,
            EntityCounters counters) {
        this.address = config.address();
        this.dispatcher = dispatcher;
        this.budget = budget;
        this.awareness = awareness;
        this.counters = counters;
        this.errorHandler = config.errorHandler();
    }

    /** Where replies and gos go; set once, before the entity starts. */
    void answerTo(Requests waiting) {
        this.requests = waiting;
    }

    Subscription subscribe(String pattern, CommandHandler handler) {
        if (!CommandPattern.isValid(pattern)) {
            throw new IllegalArgumentException("not a command pattern: " + pattern);
        }
        Route route = new Route(pattern, handler);
        routes.add(route);
        return () -> routes.remove(route);
    }

    /**
     * Called in the sender's order, under its record's lock. The message's handler calls go to
     * the sender's queue as one task: one hand-over per message, however many commands it carries.
     */
    void deliver(InboundPipeline.Delivery delivery) {
        Message message = delivery.message();
        Address source = message.source();
        boolean forUs = message.destination().matches(address);
        List<Call> calls = new ArrayList<>();
        for (Command command : message.commands()) {
            IncomingCommand incoming = new IncomingCommand(command, message, delivery.sender());
            if (forUs && handleProtocolCommand(incoming)) {
                continue;
            }
            for (Route route : routes) {
                if (CommandPattern.matches(route.pattern, command.name())) {
                    calls.add(new Call(route.handler, incoming));
                }
            }
        }
        if (calls.isEmpty()) {
            budget.giveBack(source, delivery.bytes());
            return;
        }
        // Admitted: the message was let in with room for all of it.
        dispatcher.submit(source, () -> {
            try {
                for (Call call : calls) {
                    invoke(call.handler, call.incoming);
                }
            } finally {
                budget.giveBack(source, delivery.bytes());
            }
        }, calls.size(), true);
    }

    /** One handler's call for one command. */
    private record Call(CommandHandler handler, IncomingCommand incoming) {
    }

    private void invoke(CommandHandler handler, IncomingCommand incoming) {
        counters.invocations.increment();
        try {
            handler.handle(incoming);
        } catch (Throwable e) {
            counters.handlerErrors.increment();
            report(handler, incoming, e);
        }
    }

    private void report(CommandHandler handler, IncomingCommand incoming, Throwable error) {
        if (errorHandler != null) {
            try {
                errorHandler.accept(incoming, error);
                return;
            } catch (Throwable e) {
                error.addSuppressed(e);
            }
        }
        handlerFailures.failed(handler, "for " + incoming.name() + " from " + incoming.source(), error);
    }

    /** The mbus.* commands of protocol §7 and replies; returns true when nothing else should see it. */
    private boolean handleProtocolCommand(IncomingCommand incoming) {
        Address source = incoming.source();
        switch (incoming.name()) {
            case "mbus.bye" -> awareness.departed(source);
            case "mbus.ping" -> awareness.answerPing(source);
            case "mbus.quit" -> awareness.publish(source, new MbusEvent.QuitRequested(source));
            case "mbus.waiting" -> awareness.publish(source, new MbusEvent.WaitingReceived(source, tokenOf(incoming)));
            case "mbus.go" -> {
                MbusEvent.GoReceived go = new MbusEvent.GoReceived(source, tokenOf(incoming));
                requests.offerGo(go);
                awareness.publish(source, go);
            }
            default -> {
                return requests.offerReply(incoming);
            }
        }
        return false;
    }

    private static String tokenOf(IncomingCommand incoming) {
        if (incoming.command().args().isEmpty()) {
            return "";
        }
        MbusValue token = incoming.arg(0);
        return token instanceof StringValue text ? text.value() : token.toString();
    }
}
