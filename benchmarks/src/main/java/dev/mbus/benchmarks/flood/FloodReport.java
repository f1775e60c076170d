package dev.mbus.benchmarks.flood;

import dev.mbus.benchmarks.JsonLine;
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
        JsonLine json = new JsonLine();
        fields.forEach(json::put);
        return json.put("verdict", verdict()).toString();
    }
}
