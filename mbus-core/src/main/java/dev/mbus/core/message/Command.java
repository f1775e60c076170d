package dev.mbus.core.message;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One command of a message: a hierarchical name such as {@code tool.rat.volume} and its
 * argument list (protocol §3).
 */
public record Command(String name, List<MbusValue> args) {

    public Command {
        if (!SymbolValue.isSymbol(name)) {
            throw new IllegalArgumentException("not a command name: " + name);
        }
        args = List.copyOf(args);
    }

    /** A command from plain Java values, converted by {@link MbusValue#of(Object)}. */
    public static Command of(String name, Object... args) {
        List<MbusValue> values = new ArrayList<>(args.length);
        for (Object arg : args) {
            values.add(MbusValue.of(arg));
        }
        return new Command(name, values);
    }

    /** The argument at {@code index}. */
    public MbusValue arg(int index) {
        return args.get(index);
    }

    @Override
    public String toString() {
        return args.stream().map(Object::toString).collect(Collectors.joining(" ", name + " (", ")"));
    }
}
