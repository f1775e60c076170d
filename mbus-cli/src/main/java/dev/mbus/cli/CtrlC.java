package dev.mbus.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C (SIGINT) as a request to stop rather than the end of the JVM, so that a command that
 * runs until interrupted can finish normally: leave the bus, flush its output and exit with 0.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported) through reflection; where it is missing,
 * or SIGINT is ignored (as for a background job of a non-interactive shell), nothing changes
 * and the JVM's shutdown hooks still run on Ctrl-C.
 */
final class CtrlC implements AutoCloseable {

    private final Object signal;
    private final Object previous;

    private CtrlC(Object signal, Object previous) {
        this.signal = signal;
        this.previous = previous;
    }

    /**
     * Runs {@code action} on Ctrl-C until closed; closing puts the previous handling back.
     * Returns a handle that does nothing when Ctrl-C cannot be caught.
     */
    static CtrlC onCtrlC(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            InvocationHandler onSignal = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "mbus Ctrl-C handler";
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            };
            Object handler = Proxy.newProxyInstance(CtrlC.class.getClassLoader(), new Class<?>[] {handlerClass}, onSignal);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object previous = handle.invoke(null, signal, handler);
            if (previous != null && previous.toString().contains("SIG_IGN")) {
                handle.invoke(null, signal, previous); // ignored on purpose by whoever started us: keep it so
                return new CtrlC(null, null);
            }
            return new CtrlC(signal, previous);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // No sun.misc.Signal, or SIGINT in use by the JVM (-Xrs): the shutdown hooks remain.
            return new CtrlC(null, null);
        }
    }

    @Override
    public void close() {
        if (signal == null) {
            return;
        }
        try {
            Class<?> signalClass = signal.getClass();
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, previous);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Nothing to put back.
        }
    }
}
