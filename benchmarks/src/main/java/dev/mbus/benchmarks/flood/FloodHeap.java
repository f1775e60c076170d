package dev.mbus.benchmarks.flood;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Memory of a receiving entity under hostile floods, through the public API only: each flood
 * runs against an entity of its own on a private loopback bus, and one JSON line per flood says
 * what the heap held after a full collection, the entity's counters, and a verdict.
 *
 * <p>Run with {@code java -Xmx1g -cp benchmarks/target/benchmarks.jar
 * dev.mbus.benchmarks.flood.FloodHeap [--only NAME,...] [--cli-jar PATH]}; the CLI flood runs
 * when the jar (default {@code mbus-cli/target/mbus-cli.jar}) exists.
 */
public final class FloodHeap {

    /** More than what any flood leaves in the heap after a collection is a problem: an eighth of a 1 GB heap. */
    static final double RETAINED_LIMIT_MB = 128;
    private static final long WATCHDOG_MINUTES = 10;

    private FloodHeap() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> only = new ArrayList<>();
        Path cliJar = Path.of("mbus-cli", "target", "mbus-cli.jar");
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--only" -> only.addAll(Arrays.asList(args[i + 1].split(",")));
                case "--cli-jar" -> cliJar = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: FloodHeap [--only NAME,...] [--cli-jar PATH]");
            }
        }
        List<Flood> floods = new ArrayList<>(List.of(new SlowHandlerFlood(),
                new GapFlood("gap-from-2", false, 0), new GapFlood("gap-after-hello", true, 0),
                new GapFlood("gaps-every-1000", true, 1000),
                new ManySourcesFlood(false), new ManySourcesFlood(true)));
        if (Files.isRegularFile(cliJar)) {
            floods.add(new CliListenFlood(cliJar));
        } else {
            System.err.println("flood-heap: no " + cliJar + ", so no CLI flood (build mbus-cli or give --cli-jar)");
        }
        floods.add(new HelloTableFlood());
        List<String> names = floods.stream().map(Flood::name).toList();
        if (!names.containsAll(only)) {
            throw new IllegalArgumentException("--only takes names among " + names);
        }
        ThreadErrors.install();
        startWatchdog();

        FloodReport jvm = new FloodReport("jvm").put("heapMbMax", HeapProbe.maxMb())
                .put("processors", Runtime.getRuntime().availableProcessors())
                .put("heapMbBaseline", HeapProbe.usedMbAfterGc());
        jvm.summary("java " + System.getProperty("java.version"));
        System.out.println(jvm.toJson());
        for (Flood flood : floods) {
            if (only.isEmpty() || only.contains(flood.name())) {
                System.out.println(run(flood).toJson());
            }
        }
        System.exit(0); // whatever non-daemon thread a flood left behind
    }

    /** Runs one flood and adds what every flood reports: heap before, peak and after, threads that died. */
    private static FloodReport run(Flood flood) {
        FloodReport report = new FloodReport(flood.name());
        long start = System.nanoTime();
        try {
            if (flood.inProcess()) {
                report.put("heapMbBefore", HeapProbe.usedMbAfterGc());
                try (PeakHeap peak = new PeakHeap()) {
                    try {
                        flood.run(report);
                    } finally {
                        report.put("heapMbPeak", peak.peakMb());
                    }
                }
            } else {
                flood.run(report);
            }
        } catch (Throwable e) { // an OutOfMemoryError too: reported, and the next flood runs
            report.problem(String.format("the flood failed after %.1f s: %s", (System.nanoTime() - start) / 1e9, e));
        }
        if (flood.inProcess()) {
            try {
                report.put("heapMbAfterClose", HeapProbe.usedMbAfterGc());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> died = ThreadErrors.drain();
        report.put("threadErrors", died);
        if (!died.isEmpty()) {
            report.problem("threads died: " + String.join(", ", died));
        }
        Double retained = retainedMb(report, "heapMbAfterGc");
        if (retained != null) {
            report.put("heapMbRetained", retained);
        }
        return report;
    }

    /**
     * What the heap figure {@code afterKey} holds beyond {@code heapMbBefore}, or null when either
     * is missing; reports a problem beyond {@link #RETAINED_LIMIT_MB}.
     */
    static Double retainedMb(FloodReport report, String afterKey) {
        if (!(report.get(afterKey) instanceof Double after && report.get("heapMbBefore") instanceof Double before)) {
            return null;
        }
        double retained = Math.round((after - before) * 10) / 10.0;
        if (retained > RETAINED_LIMIT_MB) {
            report.problem(afterKey + " is " + retained + " MB above heapMbBefore (limit " + RETAINED_LIMIT_MB + ")");
        }
        return retained;
    }

    /** Ends the run whatever happens, so that it never hangs a script. */
    private static void startWatchdog() {
        Thread watchdog = new Thread(() -> {
            try {
                TimeUnit.MINUTES.sleep(WATCHDOG_MINUTES);
            } catch (InterruptedException e) {
                return;
            }
            FloodReport timeout = new FloodReport("watchdog");
            timeout.problem("the run took more than " + WATCHDOG_MINUTES + " minutes");
            System.out.println(timeout.toJson());
            Runtime.getRuntime().halt(3);
        }, "flood-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
