package dev.mbus.core.engine;

/** A registered handler or listener; closing it unregisters. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
