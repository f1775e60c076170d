package dev.mbus.benchmarks.flood;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.transport.Scope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Flood 3 against the command-line tool: {@code mbus listen --all --json} runs in its own JVM
 * (-Xmx1g, output discarded) on the private bus, and its live heap is measured before and after
 * the 200,000 sources with {@code jcmd GC.class_histogram}, which collects fully first.
 */
final class CliListenFlood implements Flood {

    private static final Pattern ENDPOINT = Pattern.compile("endpoint (\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    private final Path cliJar;

    CliListenFlood(Path cliJar) {
        this.cliJar = cliJar;
    }

    @Override
    public String name() {
        return "cli-listen-all-200k";
    }

    @Override
    public void run(FloodReport report) throws Exception {
        FloodBus bus = new FloodBus();
        Path folder = Files.createTempDirectory("flood-heap-");
        Path config = folder.resolve("flood.mbus");
        MbusConfigFile.write(config, new MbusConfig(FloodBus.KEYS, Scope.HOSTLOCAL, MbusConfig.DEFAULT_GROUP,
                bus.settings().port(), Map.of()), false);
        Process listen = new ProcessBuilder(JAVA_BIN.resolve("java").toString(), "-Xmx1g", "-jar", cliJar.toString(),
                "listen", "--all", "--json", "--config", config.toString(), "--interface", "lo", "--seconds", "120")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (CraftedSender sender = new CraftedSender()) {
            InetSocketAddress target = endpointOf(listen).get(15, TimeUnit.SECONDS);
            report.put("heapMbBefore", liveHeapMb(listen));
            double seconds = ManySourcesFlood.send(sender, target, false);
            report.put("seconds", seconds).put("sent", sender.sent());
            Thread.sleep(1_000); // Let it take in what is still in its socket buffer.
            report.put("heapMbAfterGc", liveHeapMb(listen));
            report.summary("heap figures are those of the listen process, after a full collection (jcmd)");
        } finally {
            listen.destroy();
            if (!listen.waitFor(5, TimeUnit.SECONDS)) {
                listen.destroyForcibly();
            }
            deleteFolder(folder);
        }
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    /** The folder with the configuration file and the lock file the engine leaves beside it. */
    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }

    /** The entity's endpoint, from the line {@code mbus listen} writes on standard error when it starts. */
    private static CompletableFuture<InetSocketAddress> endpointOf(Process listen) {
        CompletableFuture<InetSocketAddress> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(listen.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    Matcher m = ENDPOINT.matcher(line);
                    if (m.find()) {
                        endpoint.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
                    }
                }
                endpoint.completeExceptionally(new IOException("mbus listen ended without naming its endpoint"));
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
        }, "flood-listen-stderr");
        reader.setDaemon(true);
        reader.start();
        return endpoint;
    }

    private static double liveHeapMb(Process listen) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(JAVA_BIN.resolve("jcmd").toString(), String.valueOf(listen.pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd did not answer within 30 s");
        }
        Matcher total = TOTAL.matcher(output.join());
        if (!total.find()) {
            throw new IOException("no Total line in the output of jcmd GC.class_histogram");
        }
        return HeapProbe.mb(Long.parseLong(total.group(1)));
    }
}
