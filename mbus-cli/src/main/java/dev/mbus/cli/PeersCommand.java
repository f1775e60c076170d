package dev.mbus.cli;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.MbusEntity;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code mbus peers}: the entities heard on the bus. */
@Command(name = "peers",
        header = "List the entities heard on the bus.",
        description = {
            "Joins the bus for --seconds and lists the entities heard meanwhile: address, endpoint (the IP and "
                + "port their datagrams come from) and age (time since anything was last heard from them). "
                + "Entities greet a newcomer at once, so a short time is usually enough.",
            "With --json, one object per line: {\"address\":[...],\"endpoint\":\"IP:PORT\",\"age_ms\":N}."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:listed (possibly nobody)",
            "1:unexpected error",
            "2:bad arguments or configuration file"
        })
public final class PeersCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Mixin
    private BusOptions bus;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "How long to listen (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--json", description = "Print one JSON object per entity, one per line.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Duration listen = BusOptions.duration(seconds, "--seconds");
        List<Peer> peers;
        try (MbusEntity entity = bus.join(config.loadOrCreate(), builder -> builder)) {
            BusOptions.sleep(listen);
            peers = new ArrayList<>(entity.peers());
        }
        Instant now = Instant.now();
        peers.sort(Comparator.comparing((Peer peer) -> peer.address().toString()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            MessageJson messageJson = new MessageJson();
            for (Peer peer : peers) {
                ObjectNode node = messageJson.newObject();
                peer.address().elements().forEach(node.putArray("address")::add);
                node.put("endpoint", BusOptions.format(peer.endpoint()));
                node.put("age_ms", ageMillis(peer, now));
                out.print(messageJson.toLine(node) + "\n");
            }
        } else {
            int width = "ADDRESS".length();
            int endpointWidth = "ENDPOINT".length();
            for (Peer peer : peers) {
                width = Math.max(width, peer.address().toString().length());
                endpointWidth = Math.max(endpointWidth, BusOptions.format(peer.endpoint()).length());
            }
            String format = "%-" + width + "s  %-" + endpointWidth + "s  %s\n";
            out.print(String.format(Locale.ROOT, format, "ADDRESS", "ENDPOINT", "AGE"));
            for (Peer peer : peers) {
                out.print(String.format(Locale.ROOT, format, peer.address(), BusOptions.format(peer.endpoint()),
                        String.format(Locale.ROOT, "%.1f s", ageMillis(peer, now) / 1000.0)));
            }
        }
        out.flush();
        return MbusCommand.EXIT_OK;
    }

    private static long ageMillis(Peer peer, Instant now) {
        return Math.max(0, Duration.between(peer.lastHeard(), now).toMillis());
    }
}
