package dev.mbus.benchmarks.compare;

import dev.mbus.benchmarks.JsonLine;

/**
 * What one trial measured: what the sender sent and how fast, what the receiver counted from
 * its first arrival to its last, and the round-trip times where each message was answered.
 */
record Outcome(SystemUnderTest system, Mode mode, Plan plan, long sent, long sendNanos, long received,
               long receiveSpanNanos, boolean answered, long p50Nanos, long p99Nanos, long unanswered) {

    /** Received messages per second, over the receiver's first-to-last time (else the sender's). */
    double messagesPerSecond() {
        if (receiveSpanNanos > 0 && received > 1) {
            return (received - 1) / (receiveSpanNanos / 1e9);
        }
        return received / Math.max(1e-9, sendNanos / 1e9);
    }

    double loss() {
        return sent == 0 ? 0 : Math.max(0, 1 - (double) received / sent);
    }

    double p99Millis() {
        return p99Nanos / 1e6;
    }

    /**
     * The JSON line, with ratios to the same mode of {@code raw} and {@code aeron} where they were
     * measured (null otherwise): of msg/s, or in the latency mode of p99.
     */
    JsonLine toJson(Outcome raw, Outcome aeron) {
        JsonLine json = new JsonLine().put("system", system.label()).put("mode", mode.label())
                .put("payload_bytes", Payload.BYTES);
        if (mode == Mode.LATENCY) {
            json.put("rate", Math.round(plan.rate()));
        }
        json.put("messages", sent).put("received", received)
                .put("seconds", round(Math.max(receiveSpanNanos, sendNanos) / 1e9, 3))
                .put("msg_per_s", Math.round(messagesPerSecond()))
                .put("sent_per_s", Math.round(sent / Math.max(1e-9, sendNanos / 1e9)))
                .put("loss", round(loss(), 6));
        if (answered) {
            json.put("p50_ms", round(p50Nanos / 1e6, 3)).put("p99_ms", round(p99Millis(), 3))
                    .put("unanswered", unanswered);
        }
        if (mode == Mode.LATENCY) {
            json.put("p99_vs_raw", ratio(p99Millis(), raw, Outcome::p99Millis))
                    .put("p99_vs_aeron", ratio(p99Millis(), aeron, Outcome::p99Millis));
        } else {
            json.put("vs_raw", ratio(messagesPerSecond(), raw, Outcome::messagesPerSecond))
                    .put("vs_aeron", ratio(messagesPerSecond(), aeron, Outcome::messagesPerSecond));
        }
        return json;
    }

    private static Double ratio(double value, Outcome reference, java.util.function.ToDoubleFunction<Outcome> figure) {
        if (reference == null || figure.applyAsDouble(reference) <= 0) {
            return null;
        }
        return round(value / figure.applyAsDouble(reference), 2);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
