package dev.mbus.spring.event;

import org.springframework.context.ApplicationEvent;

/** Base class of the Mbus application events; the source is the engine that published it. */
public abstract class MbusApplicationEvent extends ApplicationEvent {

    protected MbusApplicationEvent(Object engine) {
        super(engine);
    }
}
