package dev.mbus.spring.core;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.EntityStats;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.MbusEvent;
import dev.mbus.core.engine.Subscription;
import dev.mbus.core.message.Address;
import dev.mbus.core.transport.NetworkInterfaces;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.spring.event.MbusEngineStartedEvent;
import dev.mbus.spring.event.MbusPeerJoinedEvent;
import dev.mbus.spring.event.MbusPeerLeftEvent;
import dev.mbus.spring.event.MbusQuitRequestedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;

/**
 * One {@link MbusEntity} as a Spring bean whose life follows the application context.
 *
 * <p>{@link #start()} builds the {@link EntityConfig} from the factory given to the constructor
 * (which opens the transport's sockets), starts the entity and publishes
 * {@link MbusEngineStartedEvent}; peer and quit events of the bus are republished as
 * application events. {@link #stop()} closes the entity: it waits up to the
 * {@linkplain #setShutdownTimeout shutdown timeout} for reliable sends in flight and queued
 * handlers, sends the acknowledgements it owes and {@code mbus.bye}, and releases sockets and
 * threads. A stopped engine can be started again; it is then a new entity with a new {@code id}.
 *
 * <p>While it runs, the engine keeps the JVM alive with one non-daemon thread (its other threads
 * are daemons), so that an application without a web server lives until its context closes;
 * {@link #setKeepAlive setKeepAlive(false)} leaves that to the application.
 *
 * <p>The phase, {@link #DEFAULT_PHASE}, puts the engine early in startup and late in shutdown:
 * after the listener containers and the web server have stopped, so that work still in progress
 * can send.
 */
public class MbusEngine implements SmartLifecycle, ApplicationEventPublisherAware, DisposableBean {

    /** Before the web server starts, after it stops; well before the listener containers. */
    public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(MbusEngine.class);

    private final Supplier<EntityConfig> configFactory;
    private final Object monitor = new Object();
    private volatile MbusEntity entity;
    private volatile TransportInfo transportInfo;
    private EntityStats retired = EntityStats.NONE;
    private ApplicationEventPublisher publisher;
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private boolean autoStartup = true;
    private int phase = DEFAULT_PHASE;
    private boolean keepAlive = true;
    private KeepAlive keeper;
    private final List<Consumer<MbusEntity>> beforeJoin = new CopyOnWriteArrayList<>();

    /**
     * @param configFactory makes the configuration of each start, transport included; called
     *                      once per {@link #start()}
     */
    public MbusEngine(Supplier<EntityConfig> configFactory) {
        this.configFactory = Objects.requireNonNull(configFactory, "configFactory");
    }

    /**
     * Runs {@code hook} with every new entity before it joins the bus, while nobody can address
     * it yet: the moment for listeners to subscribe, so that no command reaches an entity that
     * has nobody to handle it.
     *
     * @return closing it removes the hook, for a component that goes before the engine does
     */
    public Subscription beforeJoin(Consumer<MbusEntity> hook) {
        Consumer<MbusEntity> added = Objects.requireNonNull(hook, "hook");
        beforeJoin.add(added);
        return () -> beforeJoin.remove(added);
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** How long {@link #stop()} lets reliable sends and queued handlers finish; zero stops at once. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public void setPhase(int phase) {
        this.phase = phase;
    }

    /** Whether a non-daemon thread keeps the JVM alive while the engine runs; true by default. */
    public void setKeepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

    public boolean isKeepAlive() {
        return keepAlive;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        synchronized (monitor) {
            if (entity != null) {
                return;
            }
            EntityConfig config = configFactory.get();
            MbusEntity started = MbusEntity.create(config);
            started.onEvent(this::republish);
            this.entity = started;
            try {
                beforeJoin.forEach(hook -> hook.accept(started));
                started.start();
            } catch (RuntimeException e) {
                this.entity = null;
                started.close();
                throw e;
            }
            this.transportInfo = describe(started, config);
            if (keepAlive) {
                keeper = KeepAlive.start("mbus-keep-alive-" + started.address().get("id"));
            }
            logger.info("Joined the Mbus bus as " + started.address() + " (" + started.describeTransport() + ")");
        }
        publish(new MbusEngineStartedEvent(this, entity.address(), entity.localEndpoint(), transportInfo.port()));
    }

    @Override
    public void stop() {
        MbusEntity closing;
        synchronized (monitor) {
            closing = entity;
            if (closing == null) {
                return;
            }
            entity = null;
        }
        try {
            closing.close(shutdownTimeout);
        } finally {
            synchronized (monitor) {
                retired = retired.plus(closing.stats());
                if (keeper != null) {
                    keeper.release();
                    keeper = null;
                }
            }
        }
        logger.info("Left the Mbus bus as " + closing.address());
    }

    /** Leaves the bus if still on it: a context whose refresh failed destroys beans without stopping them. */
    @Override
    public void destroy() {
        stop();
    }

    @Override
    public boolean isRunning() {
        MbusEntity current = entity;
        return current != null && current.isRunning();
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    // ------------------------------------------------------------------ access

    /**
     * The running entity.
     *
     * @throws IllegalStateException when the engine is not running (before the context has
     *                               started, or after it stopped)
     */
    public MbusEntity entity() {
        MbusEntity current = entity;
        if (current == null) {
            throw new IllegalStateException("The Mbus engine is not running: it starts with the application context "
                    + "(SmartLifecycle phase " + phase + ") and stops with it");
        }
        return current;
    }

    /** The running entity, or null. */
    public MbusEntity entityIfRunning() {
        return entity;
    }

    /** The entity's own address, or null when not running. */
    public Address address() {
        MbusEntity current = entity;
        return current == null ? null : current.address();
    }

    /** The peers known now; empty when not running. */
    public List<Peer> peers() {
        MbusEntity current = entity;
        return current == null ? List.of() : current.peers();
    }

    /** Where the running engine is on the network, or null when not running. */
    public TransportInfo transportInfo() {
        return entity == null ? null : transportInfo;
    }

    /**
     * The counters of every entity this engine ran, added up, so that they never go backwards
     * across a restart; the gauges ({@code reliableInFlight}, {@code peers}, {@code inboundBytes}) are those of now.
     */
    public EntityStats stats() {
        MbusEntity current = entity;
        synchronized (monitor) {
            return retired.plus(current == null ? EntityStats.NONE : current.stats());
        }
    }

    // ------------------------------------------------------------------ internals

    private void republish(MbusEvent event) {
        if (event instanceof MbusEvent.PeerJoined joined) {
            publish(new MbusPeerJoinedEvent(this, joined.peer()));
        } else if (event instanceof MbusEvent.PeerLeft left) {
            publish(new MbusPeerLeftEvent(this, left.peer(), left.reason()));
        } else if (event instanceof MbusEvent.QuitRequested quit) {
            publish(new MbusQuitRequestedEvent(this, quit.source()));
        }
    }

    private void publish(ApplicationEvent event) {
        if (publisher != null) {
            try {
                publisher.publishEvent(event);
            } catch (RuntimeException e) {
                logger.warn("Listener of " + event + " failed", e);
            }
        }
    }

    /** From the settings the transport was opened with (the engine does not expose the transport itself). */
    private static TransportInfo describe(MbusEntity entity, EntityConfig config) {
        TransportSettings settings = config.transportSettings();
        String networkInterface;
        try {
            networkInterface = NetworkInterfaces.resolve(settings.networkInterface(), settings.ipv6()).name();
        } catch (RuntimeException e) {
            networkInterface = settings.networkInterface();
        }
        return new TransportInfo(settings.effectiveGroup(), settings.port(), networkInterface, settings.scope().name(),
                entity.localEndpoint(), entity.describeTransport());
    }

    @Override
    public String toString() {
        MbusEntity current = entity;
        return "MbusEngine[" + (current == null ? "stopped" : current.address() + " running") + "]";
    }
}
