package dev.mbus.core.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What happened in a simulation, as the application saw it: the lives of the entities, every
 * send with its outcome, every handler call, and every throwable the engine let escape. Times are
 * simulated milliseconds since the start. The {@link InvariantChecker} judges it.
 */
final class History {

    /** One life of an entity, from its start to its close or crash; a restart begins a new one. */
    static final class Life {
        final String id;
        final String name;
        final int number;
        final long startedAt;
        long endedAt = -1;
        boolean crashed;
        /** Whether handler work was still queued when it crashed: acknowledged commands died with it. */
        boolean workLostInCrash;

        private Life(String name, int number, long startedAt) {
            this.id = name + "#" + number;
            this.name = name;
            this.number = number;
            this.startedAt = startedAt;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** One send: a reliable one has an outcome, acknowledged (by whom) or failed. */
    static final class Send {
        final Life sender;
        final long counter;
        /** The receiver's name, or null for a send to every entity. */
        final String destination;
        final boolean reliable;
        final long sentAt;
        Life acknowledgedBy;
        long acknowledgedAt = -1;
        Throwable failure;

        private Send(Life sender, long counter, String destination, boolean reliable, long sentAt) {
            this.sender = sender;
            this.counter = counter;
            this.destination = destination;
            this.reliable = reliable;
            this.sentAt = sentAt;
        }

        boolean acknowledged() {
            return acknowledgedBy != null;
        }

        String key() {
            return key(sender.id, counter);
        }

        static String key(String senderId, long counter) {
            return senderId + ":" + counter;
        }

        @Override
        public String toString() {
            return (reliable ? "reliable " : "unreliable ") + key() + " to " + (destination == null ? "all" : destination)
                    + " sent at " + sentAt + " ms";
        }
    }

    /** A handler call; {@code send} is null when the payload was never sent. */
    record Handling(Life receiver, String payload, Send send, long at) {
    }

    /** A throwable that escaped the engine: out of a receive call or out of a handler task. */
    record Escape(Life where, String how, Throwable error, long at) {
    }

    private final List<Life> lives = new ArrayList<>();
    private final Map<String, Life> livesById = new HashMap<>();
    private final List<Send> sends = new ArrayList<>();
    private final Map<String, Send> sendsByKey = new HashMap<>();
    private final List<Handling> handlings = new ArrayList<>();
    private final List<Escape> escapes = new ArrayList<>();

    Life born(String name, long at) {
        int number = 1 + (int) lives.stream().filter(life -> life.name.equals(name)).count();
        Life life = new Life(name, number, at);
        lives.add(life);
        livesById.put(life.id, life);
        return life;
    }

    Send sent(Life sender, long counter, String destination, boolean reliable, long at) {
        Send send = new Send(sender, counter, destination, reliable, at);
        sends.add(send);
        sendsByKey.put(send.key(), send);
        return send;
    }

    void acknowledged(Send send, Life by, long at) {
        send.acknowledgedBy = by;
        send.acknowledgedAt = at;
    }

    void failed(Send send, Throwable why) {
        send.failure = why;
    }

    void handled(Life receiver, String senderId, long counter, long at) {
        String payload = Send.key(senderId, counter);
        handlings.add(new Handling(receiver, payload, sendsByKey.get(payload), at));
    }

    void escaped(Life where, String how, Throwable error, long at) {
        escapes.add(new Escape(where, how, error, at));
    }

    List<Life> lives() {
        return lives;
    }

    Life life(String id) {
        return livesById.get(id);
    }

    List<Send> sends() {
        return sends;
    }

    List<Handling> handlings() {
        return handlings;
    }

    List<Escape> escapes() {
        return escapes;
    }

    /** A digest of everything recorded, to compare two runs of one seed. */
    String fingerprint() {
        StringBuilder text = new StringBuilder();
        for (Send send : sends) {
            text.append(send).append(send.acknowledgedBy).append(send.acknowledgedAt).append(send.failure).append('\n');
        }
        for (Handling handling : handlings) {
            text.append(handling.receiver).append(handling.payload).append(handling.at).append('\n');
        }
        for (Escape escape : escapes) {
            text.append(escape.where).append(escape.how).append(escape.error).append(escape.at).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return sends.size() + " sends, " + handlings.size() + " handled, " + escapes.size() + " escapes, digest "
                    + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
