package dev.mbus.core.sim;

import dev.mbus.core.sim.Violation.Invariant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The outcome of one simulation: what it was, what happened, and which promises broke.
 *
 * @param description the settings and the scenario, to read next to a failure
 * @param history     everything recorded
 * @param violations  the broken promises, empty for a clean run
 * @param summary     counts of what happened
 */
record SimReport(String description, History history, List<Violation> violations, String summary) {

    /** Details shown per invariant; the rest are counted. */
    private static final int SHOWN_PER_INVARIANT = 5;

    boolean isClean() {
        return violations.isEmpty();
    }

    /** The invariants that broke, each with how many times. */
    Map<Invariant, Long> brokenInvariants() {
        return violations.stream().collect(Collectors.groupingBy(Violation::invariant, TreeMap::new, Collectors.counting()));
    }

    /** A failure message whose first line is the command that replays the run. */
    String failureMessage(String replayCommand) {
        StringBuilder text = new StringBuilder(replayCommand).append('\n')
                .append(description).append('\n').append(summary).append('\n');
        Map<Invariant, List<Violation>> byInvariant = violations.stream()
                .collect(Collectors.groupingBy(Violation::invariant, TreeMap::new, Collectors.toList()));
        byInvariant.forEach((invariant, broken) -> {
            text.append("broken ").append(broken.size()).append(" times: ").append(invariant.promise).append('\n');
            broken.stream().limit(SHOWN_PER_INVARIANT).forEach(violation -> text.append("  ").append(violation.detail()).append('\n'));
            if (broken.size() > SHOWN_PER_INVARIANT) {
                text.append("  ... and ").append(broken.size() - SHOWN_PER_INVARIANT).append(" more\n");
            }
        });
        return text.toString();
    }
}
