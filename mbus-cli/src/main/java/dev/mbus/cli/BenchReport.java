package dev.mbus.cli;

import dev.mbus.core.engine.EntityStats;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The results of {@code mbus bench}: one object per mode, printed as a JSON line or a line of text. */
final class BenchReport {

    private final MessageJson messageJson = new MessageJson();
    private final String cipher;
    private final double rate;

    BenchReport(String cipher, double rate) {
        this.cipher = cipher;
        this.rate = rate;
    }

    /** A result with only its mode and cipher, for the figures of a mode of its own. */
    ObjectNode start(String mode) {
        ObjectNode result = messageJson.newObject();
        result.put("mode", mode);
        result.put("cipher", cipher);
        return result;
    }

    /** The fields of every throughput mode. */
    ObjectNode result(String mode, int datagramSize, int sent, long sendNanos, long received, long receiveSpanNanos) {
        ObjectNode result = start(mode);
        result.put("size", datagramSize);
        result.put("messages", sent);
        if (rate == Math.rint(rate)) {
            result.put("rate", (long) rate);
        } else {
            result.put("rate", rate);
        }
        result.put("seconds", BenchStatistics.round(sendNanos / 1e9, 3));
        result.put("sent_per_s", BenchStatistics.perSecond(sent, sendNanos));
        // The receiver's own first-to-last time when it has one; else (too few, or not measured) the sender's.
        result.put("received_per_s", receiveSpanNanos > 0 ? Math.round((received - 1) / (receiveSpanNanos / 1e9))
                : BenchStatistics.perSecond(received, sendNanos));
        result.put("loss", BenchStatistics.round(Math.max(0, 1 - (double) received / sent), 6));
        return result;
    }

    /** How many sends shared a datagram on average (hellos included, a handful). */
    static void putCommandsPerDatagram(ObjectNode result, EntityStats sender) {
        result.put("commands_per_datagram",
                BenchStatistics.round((double) sender.commandsSent() / Math.max(1, sender.sent()), 2));
    }

    /** The line printed for {@code result}. */
    String line(ObjectNode result, boolean json) {
        return json ? messageJson.toLine(result) : text(result);
    }

    /** One human-readable line of a result. */
    private static String text(ObjectNode result) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", result.get("mode").asString()));
        for (Map.Entry<String, JsonNode> field : result.properties()) {
            if (!field.getKey().equals("mode")) {
                line.append("  ").append(field.getKey()).append(' ').append(field.getValue().asString());
            }
        }
        return line.toString();
    }
}
