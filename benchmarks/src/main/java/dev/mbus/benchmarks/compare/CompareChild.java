package dev.mbus.benchmarks.compare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A receiver or a sender of one trial, in a JVM of its own, driven in lines on its standard
 * input; the lines it prints for the driver start with {@value #PREFIX} (libraries print there
 * too). It leaves on {@code quit} or when its input ends (the driver is gone).
 * <ul>
 * <li>receiver: prints {@code ready WORDS...} (how to reach it); answers {@code reset} with
 * {@code ok}, and {@code stop N} with {@code count RECEIVED SPAN_NANOS} once N arrived or
 * nothing more came for a while;</li>
 * <li>sender: prints {@code ready} once connected; answers {@code run MESSAGES MILLIS RATE}
 * (a {@link Plan}) with {@code sent N SEND_NANOS P50_NANOS P99_NANOS UNANSWERED ANSWERS}, after
 * the answers to every message when it has them (ANSWERS: whether it has).</li>
 * </ul>
 * Usage: {@code CompareChild receiver|sender SYSTEM MODE [RECEIVER_WORDS...]}.
 */
public final class CompareChild {

    static final String PREFIX = "compare: ";
    private static final long QUIET_NANOS = Duration.ofMillis(300).toNanos();
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);
    private static final Duration ANSWERS_LIMIT = Duration.ofSeconds(60);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private CompareChild() {
    }

    public static void main(String[] args) {
        int status = 0;
        AutoCloseable side = null;
        try {
            SystemUnderTest system = SystemUnderTest.fromLabel(args[1]);
            Mode mode = Mode.valueOf(args[2].toUpperCase(java.util.Locale.ROOT));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (args[0].equals("receiver")) {
                Receiver receiver = system.receiver(mode);
                side = receiver;
                receive(receiver, in);
            } else {
                Sender sender = system.sender(mode);
                side = sender;
                send(sender, Arrays.asList(args).subList(3, args.length), in);
            }
        } catch (Throwable e) {
            reply("error " + e.toString().replace('\n', ' '));
            e.printStackTrace();
            status = 1;
        }
        closeWithin(side);
        System.out.flush();
        // Whatever threads a library left behind: this process is done.
        Runtime.getRuntime().halt(status);
    }

    private static void receive(Receiver receiver, BufferedReader in) throws Exception {
        Counter counter = new Counter();
        reply("ready " + String.join(" ", receiver.start(counter)));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "reset" -> {
                    counter.reset();
                    reply("ok");
                }
                case "stop" -> {
                    awaitQuiet(counter, Long.parseLong(words[1]));
                    reply("count " + counter.count() + " " + counter.spanNanos());
                }
                case "quit" -> {
                    return;
                }
                default -> reply("error unknown request " + words[0]);
            }
        }
    }

    private static void send(Sender sender, List<String> receiver, BufferedReader in) throws Exception {
        Latency latency = new Latency();
        sender.connect(receiver, latency);
        reply("ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "run" -> {
                    latency.reset();
                    Plan plan = Plan.fromWords(words, 1);
                    long start = System.nanoTime();
                    Pacer pacer = new Pacer(plan.rate(), start);
                    long sent = 0;
                    while (plan.more(sent, start)) {
                        pacer.await(sent);
                        sender.send(sent++);
                    }
                    long sendNanos = System.nanoTime() - start;
                    long unanswered = sender.answersEach() ? awaitAnswers(latency, sent) : 0;
                    reply("sent " + sent + " " + sendNanos + " " + latency.percentileNanos(50) + " "
                            + latency.percentileNanos(99) + " " + unanswered + " " + sender.answersEach());
                }
                case "quit" -> {
                    return;
                }
                default -> reply("error unknown request " + words[0]);
            }
        }
    }

    /** Waits for an answer or a failure to each of {@code sent} messages; returns how many got no answer. */
    private static long awaitAnswers(Latency latency, long sent) throws InterruptedException {
        long limit = System.nanoTime() + ANSWERS_LIMIT.toNanos();
        while (latency.settled() < sent && System.nanoTime() - limit < 0) {
            Thread.sleep(1);
        }
        return sent - latency.settled() + latency.failures();
    }

    /** Waits until {@code expected} arrived, or nothing came for a while. */
    private static void awaitQuiet(Counter counter, long expected) throws InterruptedException {
        long limit = System.nanoTime() + STOP_LIMIT.toNanos();
        long seen = -1;
        long stillSince = System.nanoTime();
        while (counter.count() < expected && System.nanoTime() - limit < 0) {
            long now = counter.count();
            if (now != seen) {
                seen = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > QUIET_NANOS) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static void closeWithin(AutoCloseable side) {
        if (side == null) {
            return;
        }
        Thread closer = new Thread(() -> {
            try {
                side.close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }, "compare-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CLOSE_LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(String line) {
        synchronized (System.out) {
            System.out.print(PREFIX + line + "\n");
            System.out.flush();
        }
    }
}
