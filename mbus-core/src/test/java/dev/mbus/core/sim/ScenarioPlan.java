package dev.mbus.core.sim;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A generated scenario: the settings, the entities, and what happens when.
 *
 * @param settings       the simulation's knobs
 * @param names          the entities, all started near the beginning
 * @param durationMillis how long actions go on; the quiet period follows
 * @param actions        in time order
 */
record ScenarioPlan(SimSettings settings, List<String> names, long durationMillis, List<SimAction> actions) {

    /** Runs the scenario to its end and judges it. */
    SimReport play() {
        Simulation sim = new Simulation(settings);
        int next = 0;
        while (sim.nowMillis() <= durationMillis) {
            while (next < actions.size() && actions.get(next).atMillis() <= sim.nowMillis()) {
                actions.get(next++).apply(sim);
            }
            sim.step();
        }
        SimReport report = sim.finish();
        return new SimReport(describe() + "\n" + report.description(), report.history(), report.violations(), report.summary());
    }

    String describe() {
        long reliable = actions.stream().filter(SimAction.SendReliable.class::isInstance).count();
        long unreliable = actions.stream().filter(SimAction.SendUnreliable.class::isInstance).count();
        String lifecycle = actions.stream()
                .filter(action -> !(action instanceof SimAction.SendReliable || action instanceof SimAction.SendUnreliable))
                .filter(action -> action.atMillis() > ScenarioGenerator.START_SPREAD_MILLIS)
                .map(Object::toString).collect(Collectors.joining(", "));
        return "seed " + settings.seed() + ": entities " + names + ", " + durationMillis + " ms of actions, " + reliable
                + " reliable and " + unreliable + " unreliable sends planned; lifecycle: "
                + (lifecycle.isEmpty() ? "none" : lifecycle);
    }
}
