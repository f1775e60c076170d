package dev.mbus.spring.core;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What an application does on the bus. Destinations are {@link Address}es
 * ({@code Address.parse("(app:rat module:engine)")}); the methods without one use the
 * template's default destination.
 *
 * <p>Unreliable sends go to every entity the destination matches and are done once handed to
 * the socket. Reliable sends and requests need a destination that matches exactly one known
 * entity; their futures fail with a {@link dev.mbus.core.DeliveryException} whose reason tells
 * why (unknown or ambiguous destination, no acknowledgement, timeout, closed).
 *
 * <p>Right after start-up a destination may not have been heard yet. {@link #awaitDestination}
 * waits for it explicitly; a template with an {@linkplain MbusTemplate#setAwaitDestination await
 * time} ({@code mbus.template.await-destination}) waits before every send to a destination no
 * known entity matches: reliable sends and requests in their futures, unreliable sends on the
 * caller's thread.
 *
 * <p>A destination is always an {@link Address}, never a string, so that an address cannot be
 * taken for a command name; the methods for the default destination end in {@code Default}.
 *
 * <p>{@code convert...} methods take plain Java values: numbers, strings, booleans, enums,
 * {@code byte[]}, collections, arrays and records (which become lists), maps and JavaBeans
 * (JSON strings, with Jackson); see {@link dev.mbus.spring.support.MbusValueConverter}.
 */
public interface MbusOperations {

    /** Sends the commands in one unreliable message to {@code destination}. */
    void send(Address destination, Command... commands);

    /** Sends the commands in one unreliable message to the default destination. */
    void send(Command... commands);

    /** Sends the commands in one reliable message; completes when acknowledged. */
    CompletableFuture<Void> sendReliable(Address destination, Command... commands);

    /** Sends the commands in one reliable message to the default destination. */
    CompletableFuture<Void> sendReliable(Command... commands);

    /** Sends {@code command (args...)} unreliably; e.g. {@code convertAndSend(ui, "tool.rat.volume", 42)}. */
    void convertAndSend(Address destination, String command, Object... args);

    /** Sends {@code command (args...)} unreliably to the default destination. */
    void convertAndSendDefault(String command, Object... args);

    /** Sends {@code command (args...)} reliably. */
    CompletableFuture<Void> convertAndSendReliable(Address destination, String command, Object... args);

    /** Sends {@code command (args...)} reliably to the default destination. */
    CompletableFuture<Void> convertAndSendReliableDefault(String command, Object... args);

    /**
     * Sends {@code command} reliably and completes with the reply, the command
     * {@code <name>.return} from the entity addressed (the request/reply convention of gmbus).
     * Fails with reason {@code TIMEOUT} when no reply comes within {@code timeout}.
     */
    CompletableFuture<IncomingCommand> request(Address destination, Command command, Duration timeout);

    /** {@link #request(Address, Command, Duration)} with the template's reply timeout. */
    CompletableFuture<IncomingCommand> request(Address destination, Command command);

    /** {@link #request(Address, Command, Duration)} to the default destination, with the reply timeout. */
    CompletableFuture<IncomingCommand> request(Command command);

    /**
     * Sends {@code command (args...)} as a request and converts the reply: a record, collection
     * or array type takes all the reply's arguments, any other type its one argument;
     * {@code Void} completes with null.
     */
    <T> CompletableFuture<T> convertSendAndReceive(Address destination, String command, Class<T> replyType,
            Object... args);

    /** {@link #convertSendAndReceive(Address, String, Class, Object...)} to the default destination. */
    <T> CompletableFuture<T> convertSendAndReceiveDefault(String command, Class<T> replyType, Object... args);

    /**
     * Completes with a known entity {@code destination} matches: at once when one is known, else
     * when one is heard; fails with reason {@code TIMEOUT} when none is within {@code timeout}.
     * For example {@code awaitDestination(engine, Duration.ofSeconds(10)).thenCompose(peer ->
     * convertAndSendReliable(engine, "engine.volume", 42))}.
     */
    CompletableFuture<Peer> awaitDestination(Address destination, Duration timeout);
}
