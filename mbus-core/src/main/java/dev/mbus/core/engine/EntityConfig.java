package dev.mbus.core.engine;

import dev.mbus.core.codec.CodecLimits;
import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Transport;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.core.transport.UdpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Everything an {@link MbusEntity} is made from. Build with {@link #builder()}; the defaults
 * are the RFC's timers and an entity that joins the embedded loopback bus.
 */
public final class EntityConfig {

    private final Address address;
    private final MbusKeys keys;
    private final Transport transport;
    private final TransportSettings transportSettings;
    private final ProtocolTimers timers;
    private final int reliableWindow;
    private final int maxPeers;
    private final int maxQueuedPerSender;
    private final int maxAcksPerMessage;
    private final Batching batching;
    private final Executor handlerExecutor;
    private final BiConsumer<IncomingCommand, Throwable> errorHandler;
    private final MbusClock clock;
    private final RandomGenerator random;
    private final boolean timerThread;
    private final boolean receiveAll;
    private final CodecLimits codecLimits;
    private final List<Consumer<MbusEvent>> eventListeners;

    private EntityConfig(Builder b) {
        this.address = b.address.get("id") != null ? b.address : b.address.with("id:" + EntityIds.next());
        if (b.keys == null) {
            b.configFile(MbusConfigFile.loadOrCreate(MbusConfigFile.defaultLocation()));
        }
        this.keys = b.keys;
        this.transport = b.transport;
        this.transportSettings = b.transportSettings;
        this.timers = b.timers;
        this.reliableWindow = b.reliableWindow;
        this.maxPeers = b.maxPeers;
        this.maxQueuedPerSender = b.maxQueuedPerSender;
        this.maxAcksPerMessage = b.maxAcksPerMessage;
        this.batching = b.batching;
        this.handlerExecutor = b.handlerExecutor;
        this.errorHandler = b.errorHandler;
        this.clock = b.clock;
        this.random = b.random;
        this.timerThread = b.timerThread;
        this.receiveAll = b.receiveAll;
        this.codecLimits = b.codecLimits;
        this.eventListeners = List.copyOf(b.eventListeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The entity's own address, always with an {@code id} element. */
    public Address address() {
        return address;
    }

    public MbusKeys keys() {
        return keys;
    }

    /** The transport given to the builder, or a new {@link UdpTransport} opened from the settings. */
    Transport openTransport() {
        return transport != null ? transport : UdpTransport.open(transportSettings);
    }

    public TransportSettings transportSettings() {
        return transportSettings;
    }

    public ProtocolTimers timers() {
        return timers;
    }

    public int reliableWindow() {
        return reliableWindow;
    }

    public int maxPeers() {
        return maxPeers;
    }

    public int maxQueuedPerSender() {
        return maxQueuedPerSender;
    }

    public int maxAcksPerMessage() {
        return maxAcksPerMessage;
    }

    public Batching batching() {
        return batching;
    }

    /** The executor handlers run on, or null for the entity's own pool. */
    public Executor handlerExecutor() {
        return handlerExecutor;
    }

    /** Called when a handler throws; null for the default, a log line naming command and source. */
    public BiConsumer<IncomingCommand, Throwable> errorHandler() {
        return errorHandler;
    }

    public MbusClock clock() {
        return clock;
    }

    public RandomGenerator random() {
        return random;
    }

    /** Whether the entity runs its own timer thread (false: the caller drives {@link MbusEntity#runTimers()}). */
    public boolean timerThread() {
        return timerThread;
    }

    /**
     * Whether a message goes straight to the endpoint of the entity it is for when that entity is
     * the only one this entity knows (see {@link TransportSettings#unicast()}).
     */
    public boolean unicast() {
        return transportSettings.unicast();
    }

    /** Whether handlers see every message on the bus, not only those addressed to this entity. */
    public boolean receiveAll() {
        return receiveAll;
    }

    public CodecLimits codecLimits() {
        return codecLimits;
    }

    /** Listeners registered before the entity starts, so that they see its very first events. */
    public List<Consumer<MbusEvent>> eventListeners() {
        return eventListeners;
    }

    /** Builds an {@link EntityConfig}. */
    public static final class Builder {
        private Address address = Address.BROADCAST;
        private MbusKeys keys;
        private Transport transport;
        private TransportSettings transportSettings = TransportSettings.defaults();
        private ProtocolTimers timers = ProtocolTimers.RFC;
        private int reliableWindow = 1024;
        private int maxPeers = 4096;
        private int maxQueuedPerSender = 10_000;
        private int maxAcksPerMessage = 64;
        private Batching batching = Batching.DEFAULT;
        private Executor handlerExecutor;
        private BiConsumer<IncomingCommand, Throwable> errorHandler;
        private MbusClock clock = MbusClock.system();
        private RandomGenerator random = RandomGenerator.getDefault();
        private boolean timerThread = true;
        private boolean receiveAll;
        private CodecLimits codecLimits = CodecLimits.DEFAULT;
        private final List<Consumer<MbusEvent>> eventListeners = new ArrayList<>();

        private Builder() {
        }

        /** The entity's address; an {@code id} element {@code <pid>-<n>@<host>} is added when absent. */
        public Builder address(Address address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The keys; when never given, they come from the configuration file at
         * {@link MbusConfigFile#defaultLocation()}, created with fresh keys when absent.
         */
        public Builder keys(MbusKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** The keys, scope, group and port of a configuration file. */
        public Builder configFile(MbusConfig file) {
            this.keys = file.keys();
            TransportSettings settings = transportSettings.withScope(file.scope()).withPort(file.port());
            // The file's IPv4 default group must not override the IPv6 default.
            this.transportSettings = file.group().equals(MbusConfig.DEFAULT_GROUP)
                    ? settings : settings.withGroup(file.group());
            return this;
        }

        /** Where the UDP transport joins the bus; the default is the embedded loopback bus. */
        public Builder transportSettings(TransportSettings settings) {
            this.transportSettings = Objects.requireNonNull(settings, "transportSettings");
            return this;
        }

        /**
         * A transport to use instead of UDP, such as an in-memory network in tests; the entity
         * closes it when it closes. Unicast is still governed by the transport settings.
         */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder timers(ProtocolTimers timers) {
            this.timers = Objects.requireNonNull(timers, "timers");
            return this;
        }

        /** Most reliable messages awaiting acknowledgement at once; senders wait when it is full. */
        public Builder reliableWindow(int messages) {
            this.reliableWindow = positive(messages, "reliableWindow");
            return this;
        }

        public Builder maxPeers(int peers) {
            this.maxPeers = positive(peers, "maxPeers");
            return this;
        }

        /**
         * Most commands of one sender waiting for its handlers; beyond it unreliable commands are
         * dropped and reliable ones left unacknowledged, so that the sender retransmits them.
         */
        public Builder maxQueuedPerSender(int commands) {
            this.maxQueuedPerSender = positive(commands, "maxQueuedPerSender");
            return this;
        }

        /** Most sequence numbers in one ack list (64 keeps a bare ack well inside 1500 bytes). */
        public Builder maxAcksPerMessage(int acks) {
            this.maxAcksPerMessage = positive(acks, "maxAcksPerMessage");
            return this;
        }

        /** How commands sent in a burst share messages; {@link Batching#OFF} sends each on its own. */
        public Builder batching(Batching batching) {
            this.batching = Objects.requireNonNull(batching, "batching");
            return this;
        }

        public Builder handlerExecutor(Executor executor) {
            this.handlerExecutor = executor;
            return this;
        }

        public Builder errorHandler(BiConsumer<IncomingCommand, Throwable> handler) {
            this.errorHandler = handler;
            return this;
        }

        public Builder clock(MbusClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder timerThread(boolean ownThread) {
            this.timerThread = ownThread;
            return this;
        }

        public Builder receiveAll(boolean receiveAll) {
            this.receiveAll = receiveAll;
            return this;
        }

        public Builder codecLimits(CodecLimits limits) {
            this.codecLimits = Objects.requireNonNull(limits, "codecLimits");
            return this;
        }

        /** Listens to events from the start on; see {@link MbusEntity#onEvent}. */
        public Builder eventListener(Consumer<MbusEvent> listener) {
            this.eventListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public EntityConfig build() {
            return new EntityConfig(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }
    }
}
