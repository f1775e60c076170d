package dev.mbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.engine.SkewedClock;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.testsupport.UclPeer;
import dev.mbus.core.transport.StopAndWaitSender;
import dev.mbus.core.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** listen, send, peers and ping on a private loopback bus, run in-process as a user types them. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BusCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private TestBus bus;

    @BeforeEach
    void openBus() {
        bus = new TestBus(tmp);
    }

    @AfterEach
    void closeBus() throws Exception {
        bus.close();
    }

    private static List<JsonNode> json(List<String> lines) {
        List<JsonNode> nodes = new ArrayList<>();
        lines.forEach(line -> nodes.add(JSON.readTree(line)));
        return nodes;
    }

    /** The JSON lines whose message carries a command of that name. */
    private static List<JsonNode> withCommand(TestBus.Background listener, String name) {
        return json(listener.outLines()).stream()
                .filter(node -> node.get("commands").values().stream().anyMatch(c -> c.get("name").stringValue().equals(name)))
                .toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.values().forEach(node -> strings.add(node.stringValue()));
        return strings;
    }

    static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void listenPrintsWhatSendSendsAsJsonWithTheSender() throws Exception {
        TestBus.Background listener = bus.listener("--seconds", "60", "--json", "--address", "(app:listener)");

        Cli.Result unreliable = bus.run("send", "--address", "(app:sender)", "(app:listener)",
                "t.one", "(42 \"x\")", "t.two");
        Cli.Result reliable = bus.run("send", "--address", "(app:sender)", "--reliable", "(app:listener)",
                "t.rel", "(1 2.5 (a b))");

        assertThat(unreliable.exitCode()).as(unreliable.toString()).isZero();
        assertThat(unreliable.out()).isEmpty();
        assertThat(unreliable.err()).isEmpty();
        assertThat(reliable.exitCode()).as(reliable.toString()).isZero();
        assertThat(reliable.err()).isEmpty();
        TestBus.await(() -> !withCommand(listener, "t.rel").isEmpty(), "the reliable message");
        TestBus.await(() -> !withCommand(listener, "t.one").isEmpty(), "the unreliable message");
        listener.interrupt();
        assertThat(listener.exitCode()).isZero();

        List<JsonNode> ones = withCommand(listener, "t.one");
        assertThat(ones).as("one line for the message of two commands").hasSize(1);
        JsonNode one = ones.get(0);
        assertThat(fieldNames(one)).containsExactly("sender", "seq", "timestamp", "type", "src", "dst", "acks", "commands");
        assertThat(one.get("sender").stringValue()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(one.get("type").stringValue()).isEqualTo("U");
        assertThat(strings(one.get("src"))).contains("app:sender").anyMatch(e -> e.startsWith("id:"));
        assertThat(strings(one.get("dst"))).containsExactly("app:listener");
        assertThat(one.get("commands").toString()).isEqualTo(
                "[{\"name\":\"t.one\",\"args\":[{\"int\":42},{\"string\":\"x\"}]},{\"name\":\"t.two\",\"args\":[]}]");
        JsonNode rel = withCommand(listener, "t.rel").get(0);
        assertThat(rel.get("type").stringValue()).isEqualTo("R");
        assertThat(rel.get("commands").toString()).isEqualTo(
                "[{\"name\":\"t.rel\",\"args\":[{\"int\":1},{\"float\":2.5},{\"list\":[{\"symbol\":\"a\"},{\"symbol\":\"b\"}]}]}]");
        assertThat(rel.get("sender").stringValue()).isNotEqualTo(one.get("sender").stringValue());
        assertThat(listener.err()).contains("listening as (app:listener id:");
    }

    @Test
    void listenPrintsEveryReliableMessageItAcknowledgesFromASenderStartedWithIt() throws Exception {
        // Who wins a race at start-up is chance: several listeners in a row make a loss show.
        List<String> outcomes = new ArrayList<>();
        for (int trial = 1; trial <= 5; trial++) {
            String listenerAddress = "(app:listener-" + trial + ")";
            // Sends before the listener exists, without waiting for its hello, as a UCL tool does.
            try (StopAndWaitSender sender = new StopAndWaitSender(bus.keys, bus.port, "(app:ucl-like-" + trial + ")",
                    listenerAddress, "t.n", 20, TestBus.WAIT)) {
                TestBus.Background listener = bus.background("listen", "--json", "--address", listenerAddress);
                int acknowledged = sender.awaitEnd(TestBus.WAIT);
                TestBus.awaitOrNot(() -> withCommand(listener, "t.n").size() >= acknowledged, Duration.ofSeconds(2));
                listener.interrupt();
                assertThat(listener.exitCode()).isZero();
                List<Long> printed = withCommand(listener, "t.n").stream()
                        .map(node -> node.get("commands").get(0).get("args").get(0).get("int").longValue()).toList();
                outcomes.add("acknowledged " + sender.acknowledged() + ", printed " + printed);
                assertThat(acknowledged).as("acknowledged").isEqualTo(20);
                assertThat(printed).as("printed, in order, once each: " + outcomes).isEqualTo(sender.acknowledged());
            }
        }
    }

    @Test
    void listenPrintsCanonicalTextAfterTheSenderLine() throws Exception {
        TestBus.Background listener = bus.listener("--seconds", "60", "--address", "(app:listener)", "--no-hello");
        MbusEntity sender = bus.entity("(app:test-sender)");

        sender.send(Address.parse("(app:listener)"), Command.of("t.text", "hi", 7));

        TestBus.await(() -> listener.out().contains("t.text"), "the message");
        listener.interrupt();
        assertThat(listener.exitCode()).isZero();
        String out = listener.out();
        assertThat(out).startsWith("# " + BusOptions.format(sender.localEndpoint()) + "\nmbus/1.0 ")
                .contains(" U " + sender.address() + " (app:listener) ()\nt.text (\"hi\" 7)\n")
                .doesNotContain("mbus.hello");
    }

    @Test
    void listenAllSeesMessagesAddressedToOthers() throws Exception {
        TestBus.Background sniffer = bus.listener("--seconds", "60", "--json", "--all", "--address", "(app:sniffer)");
        TestBus.Background listener = bus.listener("--seconds", "60", "--json", "--address", "(app:listener)");
        MbusEntity sender = bus.entity("(app:test-sender)");

        // In this order from one sender: when the second has reached a listener, so has the first.
        sender.send(Address.parse("(app:elsewhere)"), Command.of("t.other"));
        sender.send(Address.parse("(app:listener)"), Command.of("t.mine"));

        TestBus.await(() -> !withCommand(sniffer, "t.mine").isEmpty(), "the sniffer");
        TestBus.await(() -> !withCommand(listener, "t.mine").isEmpty(), "the listener");
        sniffer.interrupt();
        listener.interrupt();
        assertThat(sniffer.exitCode()).isZero();
        assertThat(listener.exitCode()).isZero();
        assertThat(withCommand(sniffer, "t.other")).hasSize(1);
        assertThat(strings(withCommand(sniffer, "t.other").get(0).get("dst"))).containsExactly("app:elsewhere");
        assertThat(withCommand(listener, "t.other")).isEmpty();
    }

    @Test
    void listenWithAWiderFreshnessTakesMessagesFromAHostWhoseClockIsBehind() throws Exception {
        // 30 s behind: stale by the default 10 s, fresh within one minute.
        TestBus.Background listener = bus.listener("--seconds", "60", "--json", "--address", "(app:listener)",
                "--freshness", "1m");
        MbusEntity behind = bus.entity("(app:behind)",
                builder -> builder.clock(SkewedClock.behind(Duration.ofSeconds(30))));

        behind.send(Address.parse("(app:listener)"), Command.of("t.behind"));

        TestBus.await(() -> !withCommand(listener, "t.behind").isEmpty(), "the message from the host behind");
        listener.interrupt();
        assertThat(listener.exitCode()).isZero();
    }

    @Test
    void freshnessTakesAUnitOrSecondsAndIsTheDefaultWithout() {
        Map<String, Duration> cases = Map.of(
                "500ms", Duration.ofMillis(500),
                "1ms", Duration.ofMillis(1),
                "30s", Duration.ofSeconds(30),
                "2m", Duration.ofMinutes(2),
                "1.5", Duration.ofMillis(1500),
                ".25s", Duration.ofMillis(250));
        cases.forEach((text, expected) -> assertThat(freshnessOf("--freshness", text)).as(text).isEqualTo(expected));
        assertThat(freshnessOf()).isEqualTo(EntityConfig.DEFAULT_FRESHNESS);
        assertThat(Cli.run("listen", "--help").out().replaceAll("\\s+", " "))
                .contains("(default: " + EntityConfig.DEFAULT_FRESHNESS.toSeconds() + "s)");
    }

    /** The freshness of the entity the bus options make from {@code args}. */
    private Duration freshnessOf(String... args) {
        BusOptionsHolder holder = new BusOptionsHolder();
        new picocli.CommandLine(holder).parseArgs(args);
        return holder.bus.entityConfig(dev.mbus.core.config.MbusConfigFile.read(bus.config), builder -> builder)
                .freshness();
    }

    @picocli.CommandLine.Command(name = "holder")
    static final class BusOptionsHolder {
        @picocli.CommandLine.Mixin
        BusOptions bus;
    }

    @Test
    void listenStopsByItselfAfterSeconds() {
        Cli.Result result = bus.run("listen", "--seconds", "0.3", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("mbus listen: listening as (app:mbus-cli id:").contains(" for 0.3 s");
    }

    @Test
    void aReliableSendToNobodyFailsWithExitCode3AndOneLine() {
        Cli.Result result = bus.run("send", "--reliable", "--timeout", "1", "(app:nobody)", "t.x", "(1)");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.errLines()).containsExactly(
                "mbus send: delivery failed: unknown destination: no entity matching (app:nobody) heard within 1 s");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aReliableSendThatIsNeverAcknowledgedFailsWithExitCode3() throws Exception {
        bus.mute("(app:mute)");

        Cli.Result result = bus.run("send", "--reliable", "--timeout", "5", "(app:mute)", "t.x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("mbus send: delivery failed: no acknowledgement: ");
    }

    @Test
    void anUnreliableSendToNobodySucceeds() {
        Cli.Result result = bus.run("send", "(app:nobody)", "t.x");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void badArgumentsExitWith2AndOneLine() {
        String[][] cases = {
            {"send", "(app:bad address", "t.x"},
            {"send", "(app:x)", "t.x", "(unterminated"},
            {"send", "(app:x)", "not a name"},
            {"send", "(app:x)", "(1)"},
            {"send", "--timeout", "-1", "(app:x)", "t.x"},
            {"send", "--address", "(bad)", "(app:x)", "t.x"},
            {"send", "--reliable", "()", "t.x"},
            {"send", "--group", "10.0.0.1", "(app:x)", "t.x"},
            {"listen", "--seconds", "-2"},
            {"listen", "--freshness", "0"},
            {"listen", "--freshness", "-1s"},
            {"send", "--freshness", "ten seconds", "(app:x)", "t.x"},
            {"peers", "--freshness", "5h"},
            {"peers", "--group", "ff02::300"},
            {"ping", "(no-colon)"},
        };
        for (String[] args : cases) {
            Cli.Result result = bus.run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
            assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isEqualTo(2);
            assertThat(result.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(result.err()).startsWith("mbus " + args[0] + ": ").doesNotContain("\tat ");
        }
        Cli.Result missing = bus.run("send", "(app:x)");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("COMMAND");
    }

    @Test
    void peersListsAnEntityOfTheBus() {
        MbusEntity entity = bus.entity("(app:peer-test)");

        // Longer than a hello interval (1.1 s at most with one peer): an entity that said hello just
        // before a newcomer joined does not greet it, and is heard at its next hello.
        Cli.Result json = bus.run("peers", "--seconds", "2.5", "--json");
        Cli.Result text = bus.run("peers", "--seconds", "2.5");

        assertThat(json.exitCode()).as(json.toString()).isZero();
        List<JsonNode> peers = json(json.outLines());
        JsonNode peer = peers.stream().filter(p -> strings(p.get("address")).contains("app:peer-test")).findFirst()
                .orElseThrow(() -> new AssertionError(json.toString()));
        assertThat(fieldNames(peer)).containsExactly("address", "endpoint", "age_ms");
        assertThat(Address.of(strings(peer.get("address")))).isEqualTo(entity.address());
        assertThat(peer.get("endpoint").stringValue()).isEqualTo(BusOptions.format(entity.localEndpoint()));
        assertThat(peer.get("age_ms").longValue()).isNotNegative();
        assertThat(text.exitCode()).isZero();
        assertThat(text.outLines().get(0)).matches("ADDRESS +ENDPOINT +AGE");
        assertThat(text.outLines()).anyMatch(line -> line.startsWith(entity.address().toString())
                && line.contains(BusOptions.format(entity.localEndpoint())) && line.endsWith(" s"));
    }

    @Test
    void pingShowsWhoAnsweredWithTheRoundTripTime() {
        MbusEntity entity = bus.entity("(app:ping-test)");
        bus.entity("(app:bystander)");

        Cli.Result result = bus.run("ping", "--seconds", "1", "(app:ping-test)");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).hasSize(1);
        assertThat(result.outLines().get(0)).matches(java.util.regex.Pattern.quote(entity.address() + "  "
                + BusOptions.format(entity.localEndpoint()) + "  ") + "\\d+\\.\\d{3} ms");
    }

    @Test
    void pingToNobodyExitsWith3() {
        Cli.Result result = bus.run("ping", "--seconds", "0.3", "(app:nobody)");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.errLines()).containsExactly("mbus ping: no answer from (app:nobody) within 0.3 s");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMissingConfigurationFileIsCreatedWithFreshKeys() {
        Path absent = tmp.resolve("new.mbus");

        Cli.Result result = Cli.run("peers", "--config", absent.toString(), "--port", String.valueOf(bus.port),
                "--seconds", "0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(absent).exists();
        assertThat(dev.mbus.core.config.MbusConfigFile.read(absent).keys()).isNotEqualTo(bus.keys);
    }

    @Test
    void helpListsTheBusCommandsButNotTheBenchmarkReceiver() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.out()).contains("listen ").contains("send ").contains("peers ").contains("ping ")
                .contains("keygen ").contains("bench ").doesNotContain("bench-receiver");
        for (String command : List.of("listen", "send", "peers", "ping")) {
            assertThat(Cli.run(command, "--help").out()).as(command).contains("--config=FILE").contains("--port=PORT")
                    .contains("--group=IP").contains("--interface=NAME|IP").contains("--scope=SCOPE")
                    .contains("--address=ADDRESS").contains("--freshness=DURATION");
        }
        assertThat(Cli.run("send", "--help").out()).contains("3   delivery failed");
    }

    @Test
    void withEitherUnicastOptionASnifferThatSaidHelloSeesAMessageToASolePeer() throws Exception {
        TestBus.Background sniffer = bus.listener("--seconds", "60", "--json", "--all", "--address", "(app:sniffer)");
        bus.entity("(app:target)");

        Cli.Result unicast = bus.run("send", "--address", "(app:s1)", "--reliable", "--unicast", "(app:target)",
                "t.direct");
        Cli.Result grouped = bus.run("send", "--address", "(app:s2)", "--reliable", "--no-unicast", "(app:target)",
                "t.group");

        assertThat(unicast.exitCode()).as(unicast.toString()).isZero();
        assertThat(grouped.exitCode()).as(grouped.toString()).isZero();
        TestBus.await(() -> !withCommand(sniffer, "t.group").isEmpty(), "the sniffer");
        assertThat(withCommand(sniffer, "t.direct")).as("the sniffer is a second peer: no unicast").hasSize(1);
    }

    @Test
    void sendOfAMessageTooLargeForAUclPeerExitsTwoWithOneLineAndSendsNothing() throws Exception {
        try (UclPeer rat = UclPeer.start(Address.parse("(app:rat)"), bus.keys, TransportSettings.IPV4_GROUP, bus.port)) {
            Cli.Result result = bus.run("send", "--reliable", "(app:rat)", "t.big", "(\"" + "x".repeat(1500) + "\")");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.errLines()).singleElement().asString().contains("(app:rat)", "1500");
            assertThat(rat.dropped()).isZero();
            assertThat(rat.handledCount("t.big")).isZero();
        }
    }
}
