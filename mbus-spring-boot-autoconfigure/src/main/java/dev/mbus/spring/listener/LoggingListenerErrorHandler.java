package dev.mbus.spring.listener;

import dev.mbus.core.engine.IncomingCommand;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/**
 * The default error handler: one WARN line naming the listener, the command with its arguments
 * and the source; the stack trace too unless the failure was a conversion or validation of
 * arguments (whose message already says which argument and what is wrong).
 */
public class LoggingListenerErrorHandler implements MbusListenerErrorHandler {

    private static final Log logger = LogFactory.getLog(LoggingListenerErrorHandler.class);

    @Override
    public Object handleError(IncomingCommand command, Message<?> message, ListenerExecutionFailedException exception) {
        String text = "Mbus listener '" + exception.getListenerId() + "' failed on " + abbreviate(command.command().toString())
                + " from " + command.source() + ": " + exception.getCause();
        if (exception.getCause() instanceof org.springframework.messaging.converter.MessageConversionException
                || exception.getCause() instanceof MethodArgumentResolutionException) {
            logger.warn(text);
        } else {
            logger.warn(text, exception.getCause());
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
