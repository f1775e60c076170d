package dev.mbus.benchmarks.compare;

import java.time.Duration;

/**
 * How long a sender sends and how fast: a fixed number of messages, or (messages 0) for a
 * duration; at {@code rate} messages per second on a fixed schedule, or (rate 0) as fast as it can.
 */
public record Plan(long messages, Duration duration, double rate) {

    /** How many sends between two looks at the clock, when the plan runs for a duration. */
    private static final int CLOCK_STRIDE = 256;

    /** Whether the message numbered {@code sent} (counting from 0) is to be sent. */
    boolean more(long sent, long startNanos) {
        if (messages > 0) {
            return sent < messages;
        }
        return sent % CLOCK_STRIDE != 0 || System.nanoTime() - startNanos < duration.toNanos();
    }

    /** In the line the driver gives a sender. */
    String toWords() {
        return messages + " " + duration.toMillis() + " " + rate;
    }

    static Plan fromWords(String[] words, int from) {
        return new Plan(Long.parseLong(words[from]), Duration.ofMillis(Long.parseLong(words[from + 1])),
                Double.parseDouble(words[from + 2]));
    }
}
