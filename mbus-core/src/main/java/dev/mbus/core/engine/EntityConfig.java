package dev.mbus.core.engine;

import dev.mbus.core.codec.CodecLimits;
import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.Transport;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.core.transport.UdpTransport;
import java.time.Duration;
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

    /** Default of {@link Builder#freshness}: covers the UCL tools' 5 s of retransmissions and some clock difference. */
    public static final Duration DEFAULT_FRESHNESS = Duration.ofSeconds(10);

    private final Address address;
    private final MbusKeys keys;
    private final Transport transport;
    private final TransportSettings transportSettings;
    private final ProtocolTimers timers;
    private final int reliableWindow;
    private final long reliableWindowBytes;
    private final int maxPeers;
    private final int maxQueuedPerSender;
    private final int maxAcksPerMessage;
    private final long maxInboundBytes;
    private final long maxInboundBytesPerSender;
    private final Duration freshness;
    private final Duration maxDelay;
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
        this.reliableWindowBytes = b.reliableWindowBytes;
        this.maxPeers = b.maxPeers;
        this.maxQueuedPerSender = b.maxQueuedPerSender;
        this.maxAcksPerMessage = b.maxAcksPerMessage;
        this.maxInboundBytes = b.maxInboundBytes;
        this.maxInboundBytesPerSender = Math.min(b.maxInboundBytesPerSender, b.maxInboundBytes);
        this.freshness = b.freshness;
        this.maxDelay = b.maxDelay;
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

    public long reliableWindowBytes() {
        return reliableWindowBytes;
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

    /** Most bytes of received messages held at once, waiting behind a gap or for handlers. */
    public long maxInboundBytes() {
        return maxInboundBytes;
    }

    /** Most of {@link #maxInboundBytes()} that one sender's messages may hold. */
    public long maxInboundBytesPerSender() {
        return maxInboundBytesPerSender;
    }

    /** How far a message's timestamp may lie from this entity's clock, either way, for it to be taken. */
    public Duration freshness() {
        return freshness;
    }

    /** The longest a datagram is expected to take between two entities; widens the gap hold. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * How long a reliable message waits behind a gap: until the last retransmission of the
     * missing message could have arrived (see {@link ProtocolTimers#reorderHold(Duration)}).
     */
    public Duration reorderHold() {
        return timers.reorderHold(maxDelay);
    }

    /** Builds an {@link EntityConfig}. */
    public static final class Builder {
        private Address address = Address.BROADCAST;
        private MbusKeys keys;
        private Transport transport;
        private TransportSettings transportSettings = TransportSettings.defaults();
        private ProtocolTimers timers = ProtocolTimers.RFC;
        private int reliableWindow = 1024;
        private long reliableWindowBytes = 1L << 20;
        private int maxPeers = 4096;
        private int maxQueuedPerSender = 100_000;
        private int maxAcksPerMessage = 64;
        private long maxInboundBytes = 64L << 20;
        private long maxInboundBytesPerSender = 16L << 20;
        private Duration freshness = DEFAULT_FRESHNESS;
        private Duration maxDelay = Duration.ofMillis(100);
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

        /**
         * Bytes of datagrams of reliable messages awaiting acknowledgement beyond which senders wait
         * (default 1 MiB): a receiver holds back a sender that outruns its handlers by leaving its
         * messages unacknowledged, and what it holds meanwhile grows with these bytes, so they must
         * stay well inside its {@link #maxInboundBytes per-sender bound}.
         */
        public Builder reliableWindowBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("reliableWindowBytes must be positive: " + bytes);
            }
            this.reliableWindowBytes = bytes;
            return this;
        }

        public Builder maxPeers(int peers) {
            this.maxPeers = positive(peers, "maxPeers");
            return this;
        }

        /**
         * Most commands of one sender waiting for its handlers; beyond it unreliable messages are
         * dropped. Reliable ones are still taken while the {@link #maxInboundBytes byte bounds}
         * allow, but acknowledged only when their handlers take them, so that the sender's reliable
         * window holds it back to the handlers' pace rather than its messages failing.
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

        /**
         * Bounds the bytes of received messages held at once (each counted as its datagram's size
         * plus 1 KB for its decoded form, at most the largest datagram),
         * in all and per sender: waiting behind a gap, queued for a handler or being handled.
         * Beyond either bound, unreliable messages are dropped and reliable ones left
         * unacknowledged so that their senders retransmit them; both are counted as
         * {@link EntityStats#overloaded()}. Defaults: 64 MiB in all, 16 MiB per sender.
         */
        public Builder maxInboundBytes(long total, long perSender) {
            if (total < CodecLimits.MAX_DATAGRAM_BYTES || perSender < CodecLimits.MAX_DATAGRAM_BYTES) {
                throw new IllegalArgumentException("inbound bounds must hold at least one largest datagram ("
                        + CodecLimits.MAX_DATAGRAM_BYTES + " bytes): " + total + ", " + perSender);
            }
            this.maxInboundBytes = total;
            this.maxInboundBytesPerSender = perSender;
            return this;
        }

        /**
         * How far a message's timestamp may lie from this entity's wall clock, in the past or the
         * future, for the message to be taken; older or newer ones are dropped and counted as
         * {@code STALE}. It must cover the longest a sender retransmits (retransmissions keep
         * their first timestamp: about 1 s for ours, 5 s for the UCL tools) plus the clock
         * difference between hosts. Default 10 s.
         */
        public Builder freshness(Duration window) {
            this.freshness = positive(window, "freshness");
            return this;
        }

        /**
         * The longest one datagram is expected to take from one entity to another (queues,
         * relays); a reliable message waits that much longer behind a gap. Default 100 ms.
         */
        public Builder maxDelay(Duration delay) {
            Objects.requireNonNull(delay, "maxDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("maxDelay must not be negative: " + delay);
            }
            this.maxDelay = delay;
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

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }
    }
}
