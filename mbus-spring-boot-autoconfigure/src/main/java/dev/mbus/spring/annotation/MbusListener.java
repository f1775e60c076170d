package dev.mbus.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.messaging.handler.annotation.MessageMapping;

/**
 * Marks a bean method as the handler of Mbus commands:
 *
 * <pre>{@code
 * @MbusListener("tool.rat.volume")
 * void volume(int level, @Header(MbusHeaders.SOURCE) Address from) { ... }
 *
 * @MbusListener(value = "tool.rat.*", destination = "(module:ui)")
 * void anyRatCommand(@Header(MbusHeaders.COMMAND) String name, @Payload List<Object> args) { ... }
 *
 * @MbusListener("engine.status")      // the return value is the reply: engine.status.return (...)
 * Status status() { ... }
 * }</pre>
 *
 * <h2>Parameters</h2>
 * <ul>
 * <li>plain parameters take the command arguments by position, converted to the declared type
 * by the {@link dev.mbus.spring.support.MbusValueConverter} (numbers, {@code boolean},
 * {@code String}, {@code byte[]}, enums, collections, arrays, records from a list argument, the
 * Mbus value types, {@code Object}, {@code Optional<T>} (empty when the argument is missing),
 * what converts from text ({@code UUID}, {@code Instant}, your {@code Converter} beans), maps
 * and JavaBeans from JSON); a parameter no converter can produce fails start-up, and one
 * annotated {@code @Valid} is validated with the context's {@code Validator};</li>
 * <li>{@code @Payload}: the whole argument list ({@code List<MbusValue>}, {@code List<T>}, or a
 * record whose components are the arguments);</li>
 * <li>{@code @Header(MbusHeaders.SOURCE | DESTINATION | SEQUENCE | RELIABLE | TIMESTAMP | COMMAND | SENDER)}
 * ({@link dev.mbus.spring.support.MbusHeaders});</li>
 * <li>{@code IncomingCommand}, {@code Command}, {@code dev.mbus.core.message.Message}, or a
 * spring-messaging {@code Message<?>} for the whole thing.</li>
 * </ul>
 *
 * <h2>Return value</h2>
 * A non-null return value is sent back to the sender reliably as the reply of the request/reply
 * convention, the command {@code <name>.return}: a collection, array or record gives the reply's
 * arguments, any other value its one argument. A {@code CompletionStage} (or, with Reactor, a
 * {@code Mono}) replies with its value when it completes. With spring-messaging's
 * {@code @SendTo("other.command")} it is sent as that command instead (to the sender, or to the
 * address before the command name: {@code @SendTo("(app:ui) ui.update")}).
 *
 * <h2>Errors</h2>
 * An exception (thrown, or completing the returned future), or arguments that cannot be
 * converted or are not valid, go to the listener's
 * {@link #errorHandler()} or else the registry's default, which logs the command and its source.
 * A reliable command is acknowledged all the same: see
 * {@link dev.mbus.spring.listener.MbusListenerErrorHandler}.
 *
 * <p>Every attribute accepts {@code ${...}} placeholders and {@code #{...}} expressions. The
 * method may be on a proxied bean (transactions, security): it is called through the proxy.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@MessageMapping
public @interface MbusListener {

    /** Alias of {@link #commands()}. */
    @AliasFor("commands")
    String[] value() default {};

    /**
     * The commands handled: names ({@code tool.rat.volume}), prefix patterns ({@code tool.rat.*}
     * matches {@code tool.rat.volume}, not {@code tool.rat}) or {@code *}.
     */
    @AliasFor("value")
    String[] commands() default {};

    /**
     * The listener's id, unique in the context, to find its container in the registry, in
     * metrics and in the test harness; by default {@code <beanName>.<methodName>}.
     */
    String id() default "";

    /**
     * Handle only messages sent to a destination containing every element of this address,
     * e.g. {@code (module:ui)}; by default every message this entity receives.
     */
    String destination() default "";

    /** Whether the listener starts with the context ({@code "true"}/{@code "false"}); by default {@code mbus.listener.auto-startup}. */
    String autoStartup() default "";

    /** The name of a {@link dev.mbus.spring.listener.MbusListenerErrorHandler} bean for this listener. */
    String errorHandler() default "";
}
