package dev.mbus.benchmarks.flood;

import dev.mbus.core.engine.EntityStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One flood's figures, printed as one JSON line: the name first, then the figures in the order
 * they were put, then the verdict: "BAD: " and the problems found, or "OK: " and the summary.
 */
final class FloodReport {

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private String summary = "";

    FloodReport(String name) {
        fields.put("name", name);
    }

    FloodReport put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    Object get(String key) {
        return fields.get(key);
    }

    /** The entity's counters that floods move: what it accepted, refused, dropped and handled. */
    FloodReport putStats(EntityStats stats) {
        return put("received", stats.received())
                .put("overloaded", stats.overloaded())
                .put("duplicates", stats.duplicates())
                .put("dropped", stats.droppedTotal())
                .put("handlerInvocations", stats.handlerInvocations())
                .put("handlerErrors", stats.handlerErrors())
                .put("peers", stats.peers());
    }

    /** Something a hostile flood should not achieve; any makes the verdict BAD. */
    void problem(String what) {
        problems.add(what);
    }

    /** What the flood did, for the verdict. */
    void summary(String text) {
        summary = text;
    }

    String verdict() {
        String prefix = problems.isEmpty() ? "OK: " : "BAD: " + String.join("; ", problems) + " -- ";
        return prefix + summary;
    }

    String toJson() {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            appendString(json, key);
            json.append(':');
            appendValue(json, value);
            json.append(',');
        });
        appendString(json, "verdict");
        json.append(':');
        appendString(json, verdict());
        return json.append('}').toString();
    }

    private static void appendValue(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                json.append(i == 0 ? "" : ",");
                appendValue(json, list.get(i));
            }
            json.append(']');
        } else {
            appendString(json, value.toString());
        }
    }

    private static void appendString(StringBuilder json, String text) {
        json.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
