package dev.mbus.sample;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.sample.BusActivity.Kind;
import dev.mbus.core.message.Command;
import dev.mbus.spring.annotation.MbusListener;
import dev.mbus.spring.core.MbusTemplateInterceptor;
import dev.mbus.spring.core.MbusTemplateOperation;
import dev.mbus.spring.event.MbusPeerJoinedEvent;
import dev.mbus.spring.event.MbusPeerLeftEvent;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs who joins and leaves the bus, and records it for the page with every command received and
 * every command sent through the template (as its interceptor), in either role.
 */
@Component
class BusActivityRecorder implements MbusTemplateInterceptor {

    private static final Logger log = LoggerFactory.getLogger(BusActivityRecorder.class);

    private final BusActivity activity;
    private final LogBudget logBudget;

    BusActivityRecorder(BusActivity activity, LogBudget logBudget) {
        this.activity = activity;
        this.logBudget = logBudget;
    }

    /** Every command addressed to this entity; "*" matches every name. */
    @MbusListener(id = "activity", value = "*")
    void received(IncomingCommand incoming) {
        if (incoming.name().startsWith("mbus.")) {
            return; // hello, bye, ping: the peer events below say what matters
        }
        activity.add(Kind.RECEIVED, incoming.source(), MbusText.of(incoming.command()),
                incoming.message().reliable() ? "reliable" : "");
    }

    @EventListener
    void joined(MbusPeerJoinedEvent event) {
        String dropped = logBudget.admit();
        if (dropped != null) {
            log.info("Peer joined: {} at {}{}", LogText.of(event.getPeer().address()),
                    MbusText.of(event.getPeer().endpoint()), dropped);
        }
        activity.add(Kind.JOINED, event.getPeer().address(), null, "joined");
    }

    @EventListener
    void left(MbusPeerLeftEvent event) {
        String how = switch (event.getReason()) {
            case BYE -> "said bye";
            case TIMEOUT -> "fell silent";
            case EVICTED -> "was evicted from a full peer table";
        };
        String dropped = logBudget.admit();
        if (dropped != null) {
            log.info("Peer left: {} ({}){}", LogText.of(event.getPeer().address()), how, dropped);
        }
        activity.add(Kind.LEFT, event.getPeer().address(), null, how);
    }

    /** Every send of the template: what went where, and the reply of a request. */
    @Override
    public <T> CompletableFuture<T> intercept(MbusTemplateOperation operation, Supplier<CompletableFuture<T>> next) {
        String how = switch (operation.kind()) {
            case SEND -> "unreliable";
            case SEND_RELIABLE -> "reliable";
            case REQUEST -> "request";
        };
        for (Command command : operation.commands()) {
            activity.add(Kind.SENT, operation.destination(), MbusText.of(command), how);
        }
        CompletableFuture<T> outcome = next.get();
        if (operation.kind() == MbusTemplateOperation.Kind.REQUEST) {
            outcome.thenAccept(reply -> {
                if (reply instanceof IncomingCommand answer) {
                    activity.add(Kind.RECEIVED, answer.source(), MbusText.of(answer.command()), "reply");
                }
            });
        }
        return outcome;
    }
}
