package dev.mbus.sample;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.sample.BusActivity.Kind;
import dev.mbus.spring.listener.ListenerExecutionFailedException;
import dev.mbus.spring.listener.MbusListenerErrorHandler;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.stereotype.Component;

/**
 * The application's error handler for every listener: a command whose arguments are invalid, or
 * that the player cannot carry out, is logged in one line (escaped, shortened, within the
 * {@link LogBudget}) and shown on the page. The reliable
 * command was acknowledged all the same: an Mbus acknowledgement means "received".
 */
@Component
public class RejectedCommands implements MbusListenerErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(RejectedCommands.class);

    private final BusActivity activity;
    private final LogBudget logBudget;

    public RejectedCommands(BusActivity activity, LogBudget logBudget) {
        this.activity = activity;
        this.logBudget = logBudget;
    }

    @Override
    public Object handleError(IncomingCommand command, Message<?> message, ListenerExecutionFailedException exception) {
        Throwable cause = exception.getCause();
        String why = reason(cause);
        String dropped = logBudget.admit();
        if (why == null) {
            if (dropped != null) {
                log.warn("Listener '{}' failed on {} from {}{}", exception.getListenerId(),
                        LogText.of(MbusText.of(command.command())), LogText.of(command.source()), dropped, cause);
            }
            why = String.valueOf(cause);
        } else if (dropped != null) {
            log.warn("Rejected {} from {}: {}{}", LogText.of(MbusText.of(command.command())),
                    LogText.of(command.source()), LogText.of(why), dropped);
        }
        activity.add(Kind.REJECTED, command.source(), MbusText.of(command.command()), why);
        return null; // no reply
    }

    /** Why a command was refused, in words, or null for a failure that is a bug. */
    private static String reason(Throwable cause) {
        if (cause instanceof ConstraintViolationException violations) {
            return violations.getConstraintViolations().stream().map(ConstraintViolation::getMessage).sorted()
                    .distinct().collect(Collectors.joining("; "));
        }
        if (cause instanceof MessageConversionException || cause instanceof IllegalArgumentException
                || cause instanceof IllegalStateException) {
            return cause.getMessage();
        }
        return null;
    }
}
