package dev.mbus.spring.boot.autoconfigure;

import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.transport.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Mbus entity of this application.
 *
 * @param entity    the entity: its address
 * @param transport where the bus is: group, port, interface, scope
 * @param security  the keys: from the Mbus configuration file, or given inline
 * @param reliable  reliable delivery (RFC 3259 section 6)
 * @param inbound   which received messages are taken, and how many bytes of them are held
 * @param batching  commands sent in a burst sharing messages
 * @param hello     awareness of other entities (RFC 3259 section 7)
 * @param health    the "mbus" health indicator
 * @param listener  the @MbusListener methods
 * @param template  the MbusTemplate
 * @param shutdown  leaving the bus when the application stops
 * @param keepAlive Whether the engine keeps the JVM alive while it runs (one non-daemon thread), as a listener
 *                  container does, so that an application without a web server lives until its context closes.
 */
@ConfigurationProperties("mbus")
public record MbusProperties(@DefaultValue Entity entity, @DefaultValue Transport transport,
        @DefaultValue Security security, @DefaultValue Reliable reliable, @DefaultValue Inbound inbound,
        @DefaultValue Batching batching, @DefaultValue Hello hello,
        @DefaultValue Health health, @DefaultValue Listener listener, @DefaultValue Template template,
        @DefaultValue Shutdown shutdown, @DefaultValue("true") boolean keepAlive) {

    /**
     * The entity.
     *
     * @param address    Address of this entity, e.g. "(app:player module:ui)"; the parentheses may be left out
     *                   ("app:player" is "(app:player)"). An "id" element unique on the bus is added when absent. Defaults to "(app:<spring.application.name>)",
     *                   or just the id when no application name is set.
     * @param receiveAll Whether listeners see every message on the bus, not only those addressed to this entity.
     */
    public record Entity(String address, @DefaultValue("false") boolean receiveAll) {
    }

    /**
     * Where the bus is.
     *
     * @param group            Multicast group. Defaults to the ADDRESS of the Mbus configuration file when
     *                         keys come from it, else the protocol's 224.255.222.239 (FF0X::300 for IPv6).
     * @param port             UDP port of the bus. Defaults to the PORT of the Mbus configuration file when
     *                         keys come from it, else 47000.
     * @param networkInterface Network interface to send and join the group on: a name such as "lo" or
     *                         "eth0", or one of its addresses. Defaults to the loopback interface.
     * @param scope            How far datagrams travel: HOSTLOCAL (TTL 0, this host only) or LINKLOCAL
     *                         (TTL 1). Defaults to the SCOPE of the Mbus configuration file when keys come
     *                         from it, else HOSTLOCAL.
     * @param ipv6             Whether to use IPv6 instead of IPv4.
     * @param receiveBuffer    Socket receive buffer to ask the kernel for.
     * @param unicast          Whether a message to the only entity this one knows is sent straight to its
     *                         endpoint instead of the group, when that entity is one of this library's
     *                         (never to a UCL tool, whose endpoint on the bus port is shared).
     */
    public record Transport(String group, Integer port, @Name("interface") String networkInterface, Scope scope,
            @DefaultValue("false") boolean ipv6, @DefaultValue("4MB") DataSize receiveBuffer,
            @DefaultValue("true") boolean unicast) {
    }

    /**
     * The keys of the bus. Without an inline hash key they come from the Mbus configuration file,
     * which is created with fresh keys when missing. Keys are never logged nor shown by health or
     * actuator endpoints.
     *
     * @param configFile    Mbus configuration file. Defaults to the file named by the MBUS environment
     *                      variable (or ".mbus" in the folder it names), else "~/.mbus".
     * @param hashAlgorithm Algorithm of an inline hash key: HMAC-MD5-96 (the default) or HMAC-SHA1-96. Only with
     *                      an inline hash key: without one, start-up fails rather than ignore it.
     * @param hashKey       Inline hash (HMAC) key, Base64. When set, the configuration file is not used.
     * @param cipher        Cipher of inline keys: NOENCR (the default), DES or AES. Only with an inline hash key:
     *                      without one, start-up fails rather than ignore it.
     * @param cipherKey     Inline cipher key, Base64: 8 bytes for DES; 16, 24 or 32 for AES.
     */
    public record Security(Path configFile, HashAlgorithm hashAlgorithm, String hashKey, CipherAlgorithm cipher,
            String cipherKey) {

        /** Whether keys are given inline rather than read from the configuration file. */
        public boolean hasInlineKeys() {
            return hashKey != null && !hashKey.isBlank();
        }

        @Override
        public String toString() {
            return "Security[configFile=" + configFile + ", hashAlgorithm=" + hashAlgorithm + ", hashKey="
                    + (hasInlineKeys() ? "******" : null) + ", cipher=" + cipher + ", cipherKey="
                    + (cipherKey == null ? null : "******") + "]";
        }
    }

    /**
     * Reliable delivery.
     *
     * @param retransmitBase     Retransmission timer base T_r: the k-th retransmission goes k times this
     *                           after the previous transmission.
     * @param maxRetransmissions Retransmissions (N_r) before a reliable send fails.
     * @param ackDelay           Longest wait (T_c) before a bare acknowledgement is sent.
     * @param window             Most reliable messages awaiting acknowledgement at once; senders wait when full.
     * @param windowBytes        Bytes of their datagrams beyond which senders wait too; a receiver that falls behind
     *                           holds up to about this much of a sender's messages unacknowledged.
     * @param maxDelay           Longest one datagram is expected to take between two entities (queues, relays);
     *                           a reliable message waits that much longer behind a gap in its sender's sequence.
     */
    public record Reliable(@DefaultValue("100ms") Duration retransmitBase, @DefaultValue("3") int maxRetransmissions,
            @DefaultValue("70ms") Duration ackDelay, @DefaultValue("1024") int window,
            @DefaultValue("1MB") DataSize windowBytes, @DefaultValue("100ms") Duration maxDelay) {
    }

    /**
     * Received messages. Beyond either byte bound, unreliable messages are dropped and reliable ones left
     * unacknowledged so that their senders retransmit them (counted as overloaded).
     *
     * @param freshness          How far a message's timestamp may lie from this host's clock, either way, for the
     *                           message to be taken; others are dropped as stale. Must cover the longest a sender
     *                           retransmits (about 1s here, 5s for the UCL tools) plus the clock difference
     *                           between hosts.
     * @param maxBytes           Most bytes of received messages held at once, behind gaps or for listeners; at
     *                           least 65507B.
     * @param maxBytesPerSender  Most of those bytes one sender's messages may hold; at least 65507B.
     */
    public record Inbound(@DefaultValue("10s") Duration freshness, @DefaultValue("64MB") DataSize maxBytes,
            @DefaultValue("16MB") DataSize maxBytesPerSender) {
    }

    /**
     * Commands sent in a burst sharing messages. A send goes out at once when the previous one went out at
     * least the linger ago; within a burst, commands to the same destination share one message.
     *
     * @param linger           Longest a command waits for others to share its message, at most 1ms; 0 turns
     *                         batching off.
     * @param maxDatagramSize  Largest datagram a batch may make; 1500 bytes is what the UCL tools can receive.
     * @param maxOwnDatagramSize Largest datagram a batch may make while every entity known is one of this
     *                         library's; from max-datagram-size to 65507 bytes.
     */
    public record Batching(@DefaultValue("50us") Duration linger, @DefaultValue("1500B") DataSize maxDatagramSize,
            @DefaultValue("8KB") DataSize maxOwnDatagramSize) {
    }

    /**
     * Awareness of other entities.
     *
     * @param minInterval   Shortest interval between two mbus.hello (c_hello_min).
     * @param factor        Hello interval per known entity (c_hello_factor).
     * @param deadIntervals Hello intervals of silence after which a peer is gone (c_hello_dead).
     */
    public record Hello(@DefaultValue("1s") Duration minInterval, @DefaultValue("200ms") Duration factor,
            @DefaultValue("5") int deadIntervals) {
    }

    /**
     * The "mbus" health indicator.
     *
     * @param requiredPeers Addresses that must each match a known peer, e.g. "(app:engine)"; the health is
     *                      DOWN while one matches none.
     */
    public record Health(@DefaultValue List<String> requiredPeers) {
    }

    /**
     * The listeners.
     *
     * @param autoStartup         Whether listeners start with the application context unless their
     *                            annotation says otherwise.
     * @param observationEnabled  Whether listener calls are observed with the Micrometer Observation API.
     * @param rejectSurplusArguments Whether a command with more arguments than the listener takes fails
     *                            (to the error handler) instead of being handled without the extra ones,
     *                            which are counted and logged once per listener.
     */
    public record Listener(@DefaultValue("true") boolean autoStartup,
            @DefaultValue("false") boolean observationEnabled, @DefaultValue("false") boolean rejectSurplusArguments) {
    }

    /**
     * The template.
     *
     * @param defaultDestination  Destination of the sends that name none; "()" is every entity.
     * @param replyTimeout        How long a request waits for its reply when no timeout is given.
     * @param observationEnabled  Whether sends are observed with the Micrometer Observation API.
     * @param awaitDestination    How long a send waits for its destination to be heard when no known entity
     *                            matches it yet (right after start-up, say); 0 sends at once. Reliable sends and
     *                            requests wait in their futures, unreliable sends on the caller's thread; after the
     *                            wait they fail with UNKNOWN_DESTINATION.
     */
    public record Template(@DefaultValue("()") String defaultDestination, @DefaultValue("5s") Duration replyTimeout,
            @DefaultValue("false") boolean observationEnabled, @DefaultValue("0s") Duration awaitDestination) {
    }

    /**
     * Leaving the bus.
     *
     * @param timeout How long stopping waits for running listeners, reliable sends in flight and queued
     *                commands before saying bye; zero leaves at once.
     * @param onQuit  Whether an mbus.quit from another entity closes the application context (which ends an
     *                application that nothing else keeps alive); otherwise it is only an MbusQuitRequestedEvent.
     */
    public record Shutdown(@DefaultValue("5s") Duration timeout, @DefaultValue("false") boolean onQuit) {
    }
}
