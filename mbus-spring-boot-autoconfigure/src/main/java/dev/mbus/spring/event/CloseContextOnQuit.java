package dev.mbus.spring.event;

import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closes the application context when another entity sends {@code mbus.quit}, as the UCL tools
 * end on it; with the Boot starter, {@code mbus.shutdown.on-quit=true} registers one. The
 * application ends then, unless something other than the engine keeps it alive.
 */
public class CloseContextOnQuit implements ApplicationListener<MbusQuitRequestedEvent> {

    private static final Log logger = LogFactory.getLog(CloseContextOnQuit.class);

    private final ConfigurableApplicationContext context;

    public CloseContextOnQuit(ConfigurableApplicationContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void onApplicationEvent(MbusQuitRequestedEvent event) {
        logger.info(event.getRequester() + " sent mbus.quit: closing the application context");
        // Not on the engine's handler thread: closing stops the engine, which waits for its handlers.
        Thread closer = new Thread(context::close, "mbus-quit");
        closer.setDaemon(false);
        closer.start();
    }
}
