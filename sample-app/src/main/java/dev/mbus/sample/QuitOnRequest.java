package dev.mbus.sample;

import dev.mbus.spring.event.MbusQuitRequestedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code mbus.quit} asks an entity to terminate; what that means is the application's choice.
 * This one stops, as the UCL tools do: {@code bin/mbus send "(app:sample-player)" mbus.quit}.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.exit-on-quit", matchIfMissing = true)
class QuitOnRequest {

    private static final Logger log = LoggerFactory.getLogger(QuitOnRequest.class);

    private final ConfigurableApplicationContext context;

    QuitOnRequest(ConfigurableApplicationContext context) {
        this.context = context;
    }

    @EventListener
    void quit(MbusQuitRequestedEvent event) {
        log.info("{} asked this entity to quit: stopping", LogText.of(event.getRequester()));
        // Not on the engine's thread: closing the context stops the engine, which waits for its handlers.
        Thread closer = new Thread(context::close, "sample-quit");
        closer.start();
    }
}
