package dev.mbus.spring.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/** Listener results that complete later: a {@code CompletionStage}, or a single-value reactive type (Reactor's {@code Mono}). */
final class AsyncResults {

    private AsyncResults() {
    }

    /** The future of {@code result}, or null when it is a plain value. */
    static CompletableFuture<?> toFuture(Object result) {
        if (result instanceof CompletionStage<?> stage) {
            return stage.toCompletableFuture();
        }
        if (result == null) {
            return null;
        }
        ReactiveAdapterRegistry registry = ReactiveAdapterRegistry.getSharedInstance();
        ReactiveAdapter source = registry.getAdapter(result.getClass());
        ReactiveAdapter future = registry.getAdapter(CompletableFuture.class);
        if (source == null || source.isMultiValue() || future == null) {
            return null;
        }
        return (CompletableFuture<?>) future.fromPublisher(source.toPublisher(result));
    }
}
