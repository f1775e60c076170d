package dev.mbus.spring.listener;

import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.support.MbusValueConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Keeps the listener containers, starts them after the engine and stops them before it.
 *
 * <p>Containers start with the registry unless their endpoint says otherwise
 * ({@code @MbusListener(autoStartup = "false")}, or {@link #setAutoStartupListeners(boolean)}
 * for all); start and stop one by id with {@link #getListenerContainer(String)}. On stop the
 * registry unsubscribes every container and waits up to the {@linkplain #setShutdownTimeout
 * shutdown timeout} for running calls to finish; the engine, stopping later, drains what it
 * had queued and says bye.
 *
 * <p>The engine and the {@link MbusListenerInterceptor} beans are taken from the application
 * context when the registry starts; {@link MbusListenerRegistryCustomizer} beans are applied
 * once all singletons exist.
 */
public class MbusListenerEndpointRegistry
        implements SmartLifecycle, ApplicationContextAware, SmartInitializingSingleton, DisposableBean {

    /** The bean name {@code @EnableMbus} registers the registry under. */
    public static final String BEAN_NAME = "dev.mbus.spring.listener.internalMbusListenerEndpointRegistry";

    /** Late in startup, early in shutdown: after the engine and the web server start, before they stop. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

    private static final Log logger = LogFactory.getLog(MbusListenerEndpointRegistry.class);

    private final Map<String, MbusListenerContainer> containers = new LinkedHashMap<>();
    private ApplicationContext applicationContext;
    private volatile MbusEngine engine;
    private volatile List<MbusListenerInterceptor> interceptors = List.of();
    private volatile MbusListenerErrorHandler defaultErrorHandler = new LoggingListenerErrorHandler();
    private volatile MbusValueConverter converter = new MbusValueConverter();
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private boolean autoStartupListeners = true;
    private volatile boolean rejectSurplusArguments;
    private volatile boolean running;

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) throws BeansException {
        this.applicationContext = applicationContext;
    }

    /** The engine to subscribe on; when not set, the {@link MbusEngine} bean of the context. */
    public void setEngine(MbusEngine engine) {
        this.engine = engine;
    }

    public void setDefaultErrorHandler(MbusListenerErrorHandler defaultErrorHandler) {
        this.defaultErrorHandler = Objects.requireNonNull(defaultErrorHandler, "defaultErrorHandler");
    }

    public MbusListenerErrorHandler getDefaultErrorHandler() {
        return defaultErrorHandler;
    }

    /**
     * Whether a command with more arguments than a listener takes by position fails (as a
     * conversion error, to the error handler) rather than being handled without the extra
     * ones; false by default. Either way the container counts such commands.
     */
    public void setRejectSurplusArguments(boolean rejectSurplusArguments) {
        this.rejectSurplusArguments = rejectSurplusArguments;
    }

    public boolean isRejectSurplusArguments() {
        return rejectSurplusArguments;
    }

    /** Converts return values into reply arguments; the annotation post-processor sets the one it binds arguments with. */
    public void setConverter(MbusValueConverter converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    public MbusValueConverter getConverter() {
        return converter;
    }

    /** How long {@link #stop()} waits for running listener calls; 5 s by default. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /** Whether containers whose endpoint does not say start with the registry; true by default. */
    public void setAutoStartupListeners(boolean autoStartupListeners) {
        this.autoStartupListeners = autoStartupListeners;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (applicationContext != null) {
            applicationContext.getBeanProvider(MbusListenerRegistryCustomizer.class).orderedStream()
                    .forEach(customizer -> customizer.customize(this));
        }
        // Subscribe before the entity joins, rather than at this registry's later phase: in
        // between, commands would be acknowledged with no listener to handle them.
        MbusEngine current = engine != null ? engine
                : applicationContext == null ? null : applicationContext.getBeanProvider(MbusEngine.class).getIfUnique();
        if (current != null) {
            current.beforeJoin(joining -> start());
        }
    }

    // ------------------------------------------------------------------ containers

    /**
     * Registers a listener; it starts at once when the registry runs and the endpoint starts
     * automatically.
     *
     * @throws IllegalStateException when the id is taken
     */
    public MbusListenerContainer registerListenerContainer(MbusListenerEndpoint endpoint) {
        MbusListenerContainer container = new MbusListenerContainer(endpoint, this);
        synchronized (containers) {
            Assert.state(!containers.containsKey(endpoint.getId()),
                    () -> "Another Mbus listener has the id '" + endpoint.getId() + "'");
            containers.put(endpoint.getId(), container);
        }
        if (running && startsAutomatically(container)) {
            container.start();
        }
        return container;
    }

    /** Whether a listener with this id is registered. */
    public boolean containsListenerContainer(String id) {
        synchronized (containers) {
            return containers.containsKey(id);
        }
    }

    /** The container of the listener with this id, or null. */
    public MbusListenerContainer getListenerContainer(String id) {
        synchronized (containers) {
            return containers.get(id);
        }
    }

    public Set<String> getListenerContainerIds() {
        synchronized (containers) {
            return Set.copyOf(containers.keySet());
        }
    }

    public Collection<MbusListenerContainer> getListenerContainers() {
        synchronized (containers) {
            return List.copyOf(containers.values());
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        if (applicationContext != null) {
            interceptors = applicationContext.getBeanProvider(MbusListenerInterceptor.class).orderedStream().toList();
        }
        running = true;
        for (MbusListenerContainer container : getListenerContainers()) {
            if (startsAutomatically(container)) {
                container.start();
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Collection<MbusListenerContainer> all = getListenerContainers();
        all.forEach(MbusListenerContainer::stop);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            // Until one pass finds them all idle: calls the engine had already queued may still start.
            for (MbusListenerContainer busy = firstBusy(all); busy != null; busy = firstBusy(all)) {
                if (!busy.awaitIdle(deadline)) {
                    logger.warn("Mbus listeners still running after " + shutdownTimeout.toMillis() + " ms: "
                            + all.stream().filter(c -> c.getActiveCount() > 0).map(MbusListenerContainer::getId).toList());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MbusListenerContainer firstBusy(Collection<MbusListenerContainer> containers) {
        return containers.stream().filter(c -> c.getActiveCount() > 0).findFirst().orElse(null);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    @Override
    public void destroy() {
        stop();
    }

    // ------------------------------------------------------------------ for containers

    MbusEngine engine() {
        MbusEngine current = engine;
        if (current == null) {
            Assert.state(applicationContext != null, "No MbusEngine set and no application context to find one in");
            current = applicationContext.getBeanProvider(MbusEngine.class).getIfUnique();
            Assert.state(current != null, "Mbus listeners need exactly one MbusEngine bean; found "
                    + applicationContext.getBeanNamesForType(MbusEngine.class).length);
            engine = current;
        }
        return current;
    }

    List<MbusListenerInterceptor> interceptors() {
        return interceptors;
    }

    private boolean startsAutomatically(MbusListenerContainer container) {
        Boolean own = container.getEndpoint().getAutoStartup();
        return own != null ? own : autoStartupListeners;
    }

    @Override
    public String toString() {
        return "MbusListenerEndpointRegistry" + new ArrayList<>(getListenerContainerIds());
    }
}
