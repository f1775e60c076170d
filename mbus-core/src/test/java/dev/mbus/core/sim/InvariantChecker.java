package dev.mbus.core.sim;

import dev.mbus.core.sim.History.Handling;
import dev.mbus.core.sim.History.Life;
import dev.mbus.core.sim.History.Send;
import dev.mbus.core.sim.Violation.Invariant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges a {@link History} against the promises of reliable delivery (see {@link Invariant}).
 * Every check reads only what the application saw: sends, their outcomes, handler calls.
 */
final class InvariantChecker {

    /** Nothing may be handled longer than this after it was sent: a receiver must refuse older messages. */
    static final long FRESHNESS_MILLIS = 10_000;

    private final long crashGraceMillis;
    private final long maxDelayMillis;

    /**
     * @param crashGraceMillis how long after an acknowledgement a receiver's crash may still lose
     *                         the command: it is acknowledged on arrival, and may wait that long
     *                         behind a gap before it is handed to the handlers
     * @param maxDelayMillis   the network's longest delay: an acknowledgement can arrive that
     *                         long after its sender crashed, but no longer
     */
    InvariantChecker(long crashGraceMillis, long maxDelayMillis) {
        this.crashGraceMillis = crashGraceMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    List<Violation> check(History history) {
        List<Violation> found = new ArrayList<>();
        onlyWhatWasSent(history, found);
        exactlyOnceWhenAcknowledged(history, found);
        neverTwice(history, found);
        senderOrder(history, found);
        noStaleDelivery(history, found);
        keepsWorking(history, found);
        return found;
    }

    private static void onlyWhatWasSent(History history, List<Violation> found) {
        for (Handling handling : history.handlings()) {
            Send send = handling.send();
            if (send == null) {
                found.add(new Violation(Invariant.ONLY_WHAT_WAS_SENT,
                        handling.receiver() + " handled " + handling.payload() + ", which was never sent"));
            } else if (send.sender.name.equals(handling.receiver().name)
                    || (send.destination != null && !send.destination.equals(handling.receiver().name))) {
                found.add(new Violation(Invariant.ONLY_WHAT_WAS_SENT,
                        handling.receiver() + " handled " + send + " at " + handling.at() + " ms"));
            }
        }
    }

    private void exactlyOnceWhenAcknowledged(History history, List<Violation> found) {
        Map<String, List<Handling>> byPayload = history.handlings().stream()
                .collect(Collectors.groupingBy(Handling::payload));
        for (Send send : history.sends()) {
            if (!send.acknowledged()) {
                continue;
            }
            List<Handling> all = byPayload.getOrDefault(send.key(), List.of());
            long byAcknowledger = all.stream().filter(handling -> handling.receiver() == send.acknowledgedBy).count();
            if (byAcknowledger == 1 || (byAcknowledger == 0 && lostInCrash(send))) {
                continue;
            }
            found.add(new Violation(Invariant.EXACTLY_ONCE_WHEN_ACKNOWLEDGED, send + ", acknowledged by "
                    + send.acknowledgedBy + " at " + send.acknowledgedAt + " ms, handled " + byAcknowledger
                    + " times by it" + (all.isEmpty() ? "" : "; handled by " + describe(all))
                    + ending(send.acknowledgedBy) + ending(send.sender)));
        }
    }

    /**
     * The receiver crashed after sending the acknowledgement, with the command still waiting in
     * it: what waits dies with the process. An acknowledgement that arrives later than the
     * network's delay after the crash was not sent by that life; it excuses nothing.
     */
    private boolean lostInCrash(Send send) {
        Life receiver = send.acknowledgedBy;
        return receiver.crashed && receiver.endedAt >= send.acknowledgedAt - maxDelayMillis
                && (receiver.workLostInCrash || receiver.endedAt <= send.acknowledgedAt + crashGraceMillis);
    }

    private static void neverTwice(History history, List<Violation> found) {
        Map<String, List<Handling>> byReceiverAndPayload = new LinkedHashMap<>();
        for (Handling handling : history.handlings()) {
            byReceiverAndPayload.computeIfAbsent(handling.receiver().id + " " + handling.payload(), key -> new ArrayList<>())
                    .add(handling);
        }
        for (List<Handling> same : byReceiverAndPayload.values()) {
            if (same.size() > 1) {
                Handling first = same.get(0);
                found.add(new Violation(Invariant.NEVER_TWICE, first.receiver() + " handled "
                        + (first.send() == null ? first.payload() : first.send()) + " " + same.size() + " times, at "
                        + same.stream().map(handling -> handling.at() + " ms").collect(Collectors.joining(", "))));
            }
        }
    }

    /**
     * Counters of one sender life's reliable messages must rise. Gaps are allowed: an
     * acknowledged send missing from them is caught as never handled, or here when it comes late.
     * A payload handled again is left to {@link #neverTwice}.
     */
    private static void senderOrder(History history, List<Violation> found) {
        Map<String, Handling> latest = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Handling handling : history.handlings()) {
            Send send = handling.send();
            if (send == null || !send.reliable || !seen.add(handling.receiver().id + " " + handling.payload())) {
                continue;
            }
            String pair = handling.receiver().id + " " + send.sender.id;
            Handling before = latest.get(pair);
            if (before != null && before.send().counter > send.counter) {
                found.add(new Violation(Invariant.SENDER_ORDER, handling.receiver() + " handled " + send + " at "
                        + handling.at() + " ms, after " + before.payload() + " at " + before.at() + " ms"));
            } else {
                latest.put(pair, handling);
            }
        }
    }

    private void noStaleDelivery(History history, List<Violation> found) {
        Map<String, Handling> newestLife = new HashMap<>();
        for (Handling handling : history.handlings()) {
            Send send = handling.send();
            if (send == null) {
                continue;
            }
            String pair = handling.receiver().id + " " + send.sender.name;
            Handling newest = newestLife.get(pair);
            if (newest != null && newest.send().sender.number > send.sender.number) {
                found.add(new Violation(Invariant.NO_STALE_DELIVERY, handling.receiver() + " handled " + send + " at "
                        + handling.at() + " ms, after " + newest.payload() + " of the newer " + newest.send().sender
                        + " at " + newest.at() + " ms"));
            } else {
                newestLife.put(pair, handling);
            }
            // Taken while fresh, a message may still wait its hold behind a gap before it is handled.
            long age = handling.at() - send.sentAt;
            if (age > FRESHNESS_MILLIS + crashGraceMillis) {
                found.add(new Violation(Invariant.NO_STALE_DELIVERY, handling.receiver() + " handled " + send + " "
                        + age + " ms after it was sent"));
            }
        }
    }

    private static void keepsWorking(History history, List<Violation> found) {
        for (History.Escape escape : history.escapes()) {
            found.add(new Violation(Invariant.KEEPS_WORKING, escape.error() + " escaped " + escape.how() + " of "
                    + escape.where() + " at " + escape.at() + " ms"));
        }
    }

    /** When and how a life ended, if it did: a close or crash soon after is often the cause. */
    private static String ending(Life life) {
        return life.endedAt < 0 ? "" : "; " + life + (life.crashed ? " crashed" : " closed") + " at " + life.endedAt + " ms";
    }

    private static String describe(List<Handling> handlings) {
        return handlings.stream().map(handling -> handling.receiver() + " at " + handling.at() + " ms")
                .collect(Collectors.joining(", "));
    }
}
