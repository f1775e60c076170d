package dev.mbus.core.config;

import dev.mbus.core.security.MbusKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Run in a separate JVM by {@link MbusConfigFileCreateTest}: says "ready", waits until the
 * start file appears, calls {@link MbusConfigFile#loadOrCreate} and prints a fingerprint of
 * what it got (a hash, so that no key is printed).
 */
public final class ConcurrentLoadMain {

    private ConcurrentLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Path start = Path.of(args[1]);
        // Load and warm up the classes first, so that the real call starts without delay.
        MbusConfigFile.parse(start, MbusConfigFile.format(MbusConfig.withDefaults(MbusKeys.generate()))
                .getBytes(StandardCharsets.UTF_8));
        Files.exists(config);
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(start)) {
            if (System.nanoTime() > deadline) {
                System.exit(2);
            }
            Thread.onSpinWait();
        }
        System.out.println("config " + fingerprint(MbusConfigFile.loadOrCreate(config)));
    }

    static String fingerprint(MbusConfig config) throws Exception {
        byte[] text = MbusConfigFile.format(config).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    }
}
