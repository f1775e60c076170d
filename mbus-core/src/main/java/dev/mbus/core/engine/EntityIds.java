package dev.mbus.core.engine;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** Generates the conventional unique {@code id} value {@code <pid>-<n>@<host>} (protocol §4). */
final class EntityIds {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String HOST = hostName();

    private EntityIds() {
    }

    static String next() {
        return ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet() + "@" + HOST;
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() || !dev.mbus.core.message.Address.isElement("id:" + name) ? "localhost" : name;
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
