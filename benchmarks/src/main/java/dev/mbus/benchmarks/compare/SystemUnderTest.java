package dev.mbus.benchmarks.compare;

import dev.mbus.benchmarks.compare.aeron.AeronReceiver;
import dev.mbus.benchmarks.compare.aeron.AeronSender;
import dev.mbus.benchmarks.compare.jgroups.JGroupsReceiver;
import dev.mbus.benchmarks.compare.jgroups.JGroupsSender;
import dev.mbus.benchmarks.compare.mbus.MbusReceiver;
import dev.mbus.benchmarks.compare.mbus.MbusSender;
import dev.mbus.benchmarks.compare.raw.RawReceiver;
import dev.mbus.benchmarks.compare.raw.RawSender;
import dev.mbus.core.engine.Batching;
import java.util.List;
import java.util.Locale;

/** The systems compared, in the order they run (the references first), and the modes each has. */
public enum SystemUnderTest {
    RAW(List.of(Mode.UNRELIABLE, Mode.LATENCY)),
    AERON(List.of(Mode.UNRELIABLE, Mode.RELIABLE, Mode.LATENCY)),
    MBUS(List.of(Mode.UNRELIABLE, Mode.RELIABLE, Mode.LATENCY)),
    MBUS_NO_BATCHING(List.of(Mode.UNRELIABLE, Mode.RELIABLE)),
    JGROUPS(List.of(Mode.UNRELIABLE, Mode.RELIABLE, Mode.LATENCY));

    private final List<Mode> modes;

    SystemUnderTest(List<Mode> modes) {
        this.modes = modes;
    }

    public List<Mode> modes() {
        return modes;
    }

    /** The name in the JSON lines and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SystemUnderTest fromLabel(String label) {
        for (SystemUnderTest system : values()) {
            if (system.label().equals(label)) {
                return system;
            }
        }
        throw new IllegalArgumentException("unknown system '" + label + "'; expected one of "
                + java.util.Arrays.stream(values()).map(SystemUnderTest::label).toList());
    }

    Receiver receiver(Mode mode) {
        return switch (this) {
            case RAW -> new RawReceiver(mode == Mode.LATENCY);
            case AERON -> new AeronReceiver(mode);
            case MBUS -> new MbusReceiver(Batching.DEFAULT);
            case MBUS_NO_BATCHING -> new MbusReceiver(Batching.OFF);
            case JGROUPS -> new JGroupsReceiver(mode);
        };
    }

    Sender sender(Mode mode) {
        return switch (this) {
            case RAW -> new RawSender(mode == Mode.LATENCY);
            case AERON -> new AeronSender(mode);
            case MBUS -> new MbusSender(Batching.DEFAULT, mode != Mode.UNRELIABLE);
            case MBUS_NO_BATCHING -> new MbusSender(Batching.OFF, mode != Mode.UNRELIABLE);
            case JGROUPS -> new JGroupsSender(mode);
        };
    }
}
