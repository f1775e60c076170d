package dev.mbus.spring.core;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Wraps each send of an {@link MbusTemplate}: observation, metrics, logging. Calls
 * {@code next} once and returns its future, or a future derived from it. {@code next} may also
 * throw (an unreliable send to a closed engine, a command too large for a datagram).
 */
@FunctionalInterface
public interface MbusTemplateInterceptor {

    <T> CompletableFuture<T> intercept(MbusTemplateOperation operation, Supplier<CompletableFuture<T>> next);
}
