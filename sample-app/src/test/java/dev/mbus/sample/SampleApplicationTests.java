package dev.mbus.sample;

import static dev.mbus.sample.SampleTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.MbusValue;
import dev.mbus.sample.BusActivity.Entry;
import dev.mbus.sample.BusActivity.Kind;
import dev.mbus.sample.player.Player;
import dev.mbus.sample.player.PlayerStatus;
import dev.mbus.sample.player.PlayerStatus.State;
import dev.mbus.spring.core.MbusOperations;
import dev.mbus.spring.test.EmbeddedMbus;
import dev.mbus.spring.test.MbusListenerTestHarness;
import dev.mbus.spring.test.MbusListenerTestHarness.Invocation;
import dev.mbus.spring.test.MbusTestBus;
import jakarta.validation.ConstraintViolationException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.MessageConversionException;
import tools.jackson.databind.JsonNode;

/**
 * The sample as a player, on a private bus ({@code @EmbeddedMbus}: a free port on loopback and
 * fresh keys, so neither {@code ~/.mbus} nor port 47000 is touched), driven by a plain engine
 * entity and by a second instance of the application in the controller role.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"sample.web.allowed-hosts=player.lan",
        "sample.log.lines-per-second=1000"}) // no line of these tests is dropped
@EmbeddedMbus
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

    private static final Address PLAYER = Address.parse("(app:sample-player)");

    @Autowired
    MbusTestBus bus;

    @Autowired
    MbusListenerTestHarness harness;

    @Autowired
    Player player;

    @Autowired
    BusActivity activity;

    @LocalServerPort
    int port;

    MbusEntity remote;

    @BeforeEach
    void joinTheBus() throws Exception {
        harness.reset();
        remote = bus.startEntity("(app:test-remote)");
        remote.awaitPeer(PLAYER, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void leaveTheBus() {
        remote.close();
    }

    @Test
    void typedCommandsReachTheirListeners() throws Exception {
        sendReliably(Command.of("player.load", ListValue.of("Blue in Green", 337.5)));
        assertThat(harness.awaitInvocation("playerListeners.load", WAIT).failed()).isFalse();
        sendReliably(Command.of("player.volume", 42));
        assertThat(harness.awaitInvocation("playerListeners.volume", WAIT).arguments()).containsExactly(42);
        sendReliably(Command.of("player.seek", 12)); // an integer where a double is declared
        assertThat(harness.awaitInvocation("playerListeners.seek", WAIT).failed()).isFalse();
        sendReliably(Command.of("player.play"));
        assertThat(harness.awaitInvocation("playerListeners.play", WAIT).failed()).isFalse();

        PlayerStatus status = player.status();
        assertThat(status.state()).isEqualTo(State.PLAYING);
        assertThat(status.title()).isEqualTo("Blue in Green");
        assertThat(status.volume()).isEqualTo(42);
        assertThat(status.position()).isGreaterThanOrEqualTo(12.0);

        // The prefix listener saw each of them too, and the page's list has them.
        List<String> logged = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            logged.add(harness.awaitInvocation("player-log", WAIT).command().name());
        }
        assertThat(logged).containsExactly("player.load", "player.volume", "player.seek", "player.play");
        await().atMost(WAIT).untilAsserted(() -> assertThat(activity.recent()).extracting(Entry::command)
                .contains("player.load ((\"Blue in Green\" 337.5))", "player.volume (42)", "player.play ()"));
    }

    @Test
    void statusIsARequestAnsweredByTheReplyConvention() throws Exception {
        sendReliably(Command.of("player.load", ListValue.of("So What", 562.0)));
        harness.awaitInvocation("playerListeners.load", WAIT);

        IncomingCommand reply = remote.request(PLAYER, Command.of("player.status"), WAIT)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(reply.name()).isEqualTo("player.status.return");
        assertThat(reply.command().args()).extracting(MbusValue::toJava)
                .containsExactly("STOPPED", "So What", 0.0, 562.0, (long) player.status().volume());
    }

    @Test
    void invalidArgumentsAreRejectedAndShown() throws Exception {
        int volume = player.status().volume();

        sendReliably(Command.of("player.volume", 150)); // acknowledged: received, though refused
        Invocation outOfRange = harness.awaitInvocation("playerListeners.volume", WAIT);
        sendReliably(Command.of("player.volume", "loud"));
        Invocation notANumber = harness.awaitInvocation("playerListeners.volume", WAIT);

        assertThat(outOfRange.error()).isInstanceOf(ConstraintViolationException.class);
        assertThat(notANumber.error()).isInstanceOf(MessageConversionException.class);
        assertThat(player.status().volume()).isEqualTo(volume);
        await().atMost(WAIT).untilAsserted(() -> assertThat(activity.recent())
                .filteredOn(entry -> entry.kind() == Kind.REJECTED).extracting(Entry::command, Entry::detail)
                .contains(org.assertj.core.groups.Tuple.tuple("player.volume (150)", "volume must be 0 to 100"),
                        org.assertj.core.groups.Tuple.tuple("player.volume (\"loud\")",
                                "argument 0 of player.volume: expected int, found \"loud\" (string)")));
    }

    @Test
    void aSecondInstanceAsControllerDrivesThePlayerThroughItsTemplate() throws Exception {
        try (ConfigurableApplicationContext controller = new SpringApplicationBuilder(SampleApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("controller")
                .initializers(bus.initializer(null))
                .run("--sample.controller.status-interval=1h")) {
            // On meeting the player, the controller loads a track, sets the volume, plays, asks the status.
            for (String listener : List.of("load", "volume", "play", "status")) {
                Invocation call = harness.awaitInvocation("playerListeners." + listener, WAIT);
                assertThat(call.failed()).isFalse();
                assertThat(call.command().source().get("app")).isEqualTo("sample-controller");
            }

            PlayerStatus status = controller.getBean(MbusOperations.class)
                    .convertSendAndReceive(PLAYER, "player.status", PlayerStatus.class)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.title()).isEqualTo("Blue in Green");
            assertThat(status.volume()).isEqualTo(60);
            assertThat(status.state()).isEqualTo(State.PLAYING);
        }
        // It said bye when it stopped; the player logged and recorded it.
        await().atMost(WAIT).untilAsserted(() -> assertThat(activity.recent())
                .anyMatch(entry -> entry.kind() == Kind.LEFT && entry.peer().contains("app:sample-controller")
                        && entry.detail().equals("said bye")));
    }

    @Test
    void healthShowsTheMbusComponentWithItsPeers() throws Exception {
        HttpResponse<String> response = SampleTestSupport.get(port, "/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode mbus = SampleTestSupport.json(response.body()).path("components").path("mbus");
        assertThat(mbus.path("status").asString()).isEqualTo("UP");
        assertThat(mbus.path("details").path("address").asString()).contains("app:sample-player");
        assertThat(mbus.path("details").path("group").asString()).endsWith(":" + bus.port());
        assertThat(mbus.path("details").path("peers").findValuesAsString("address"))
                .anyMatch(address -> address.contains("app:test-remote"));

        assertThat(SampleTestSupport.get(port, "/actuator/metrics/mbus.peers").statusCode()).isEqualTo(200);
        assertThat(SampleTestSupport.get(port, "/actuator/mbus").body()).contains("playerListeners.volume");
        assertThat(SampleTestSupport.get(port, "/actuator/info").statusCode()).isEqualTo(200);
    }

    @Test
    void theApiSendsCommandsAndExplainsWhatIsWrong() throws Exception {
        List<IncomingCommand> received = new CopyOnWriteArrayList<>();
        remote.subscribe("demo.*", received::add);

        HttpResponse<String> sent = SampleTestSupport.post(port, "/api/send",
                "{\"destination\":\"(app:test-remote)\",\"command\":\"demo.hello\",\"args\":\"(\\\"hi\\\" 7)\","
                        + "\"mode\":\"RELIABLE\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(SampleTestSupport.json(sent.body()).path("outcome").asString()).isEqualTo("acknowledged");
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received.get(0).command().args()).extracting(MbusValue::toJava).containsExactly("hi", 7L);

        HttpResponse<String> badArgs = SampleTestSupport.post(port, "/api/send",
                "{\"destination\":\"(app:test-remote)\",\"command\":\"demo.hello\",\"args\":\"(42\"}");
        assertThat(badArgs.statusCode()).isEqualTo(400);
        assertThat(SampleTestSupport.json(badArgs.body()).path("detail").asString()).startsWith("arguments: ");

        HttpResponse<String> nobody = SampleTestSupport.post(port, "/api/send",
                "{\"destination\":\"(app:nobody)\",\"command\":\"demo.hello\",\"mode\":\"RELIABLE\"}");
        assertThat(nobody.statusCode()).isEqualTo(409);
        assertThat(SampleTestSupport.json(nobody.body()).path("detail").asString()).startsWith("unknown destination: ");

        HttpResponse<String> toItself = SampleTestSupport.post(port, "/api/send",
                "{\"destination\":\"(app:sample-player)\",\"command\":\"player.play\"}");
        assertThat(toItself.statusCode()).isEqualTo(400);
        assertThat(SampleTestSupport.json(toItself.body()).path("detail").asString()).contains("only this entity");

        JsonNode status = SampleTestSupport.json(SampleTestSupport.get(port, "/api/player").body());
        assertThat(status.path("volume").asInt()).isEqualTo(player.status().volume());

        JsonNode peers = SampleTestSupport.json(SampleTestSupport.get(port, "/api/peers").body());
        assertThat(peers.path("self").asString()).contains("app:sample-player");
        assertThat(peers.path("peers").findValuesAsString("address")).anyMatch(a -> a.contains("app:test-remote"));
    }

    @Test
    void theApiServesOnlyTheHostNamesOfThisApplication() throws Exception {
        List<IncomingCommand> received = new CopyOnWriteArrayList<>();
        remote.subscribe("demo.*", received::add);
        String body = "{\"destination\":\"(app:test-remote)\",\"command\":\"demo.rebound\",\"mode\":\"RELIABLE\"}";

        // A page of another site whose name now resolves to 127.0.0.1 (DNS rebinding) sends its own name.
        assertThat(SampleTestSupport.postWithHost(port, "evil.example:" + port, "/api/send", body)).startsWith("HTTP/1.1 403");
        assertThat(SampleTestSupport.postWithHost(port, "localhost.evil.example", "/api/send", body)).startsWith("HTTP/1.1 403");
        assertThat(SampleTestSupport.getWithHost(port, "evil.example", "/api/peers")).startsWith("HTTP/1.1 403");

        assertThat(SampleTestSupport.postWithHost(port, "127.0.0.1:" + port, "/api/send", body)).startsWith("HTTP/1.1 200");
        assertThat(SampleTestSupport.postWithHost(port, "player.lan:" + port, "/api/send", body)).startsWith("HTTP/1.1 200");
        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(activity.recent()).filteredOn(entry -> entry.kind() == Kind.SENT).hasSize(2);
    }

    @Test
    void theApiDoesNotSendTheProtocolsControlCommands() throws Exception {
        List<IncomingCommand> received = new CopyOnWriteArrayList<>();
        remote.subscribe("mbus.quit", received::add);
        remote.subscribe("demo.*", received::add);

        HttpResponse<String> quit = SampleTestSupport.post(port, "/api/send", "{\"destination\":\"()\",\"command\":\"mbus.quit\"}");
        assertThat(quit.statusCode()).isEqualTo(403);
        assertThat(SampleTestSupport.json(quit.body()).path("detail").asString())
                .contains("mbus.quit").contains("sample.web.allow-control-commands");

        SampleTestSupport.post(port, "/api/send", "{\"destination\":\"(app:test-remote)\",\"command\":\"demo.after\",\"mode\":\"RELIABLE\"}");
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received).extracting(IncomingCommand::name).containsExactly("demo.after");
    }

    @Test
    void argumentsAreLoggedEscapedAndShortened(CapturedOutput output) throws Exception {
        String forged = "x\r2026-01-01 INFO forged line\u001b[2J";
        sendReliably(Command.of("player.seek", forged, "y".repeat(30_000)));
        harness.awaitInvocation("player-log", WAIT);
        Invocation rejected = harness.awaitInvocation("playerListeners.seek", WAIT);
        assertThat(rejected.failed()).isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("Rejected player.seek"));

        List<String> lines = output.getOut().lines().filter(line -> line.contains("player.seek (")).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2).allSatisfy(line -> {
            assertThat(line).doesNotContain("\r", "\u001b").contains("\\r2026-01-01", "\\u001b[2J");
            assertThat(line.length()).isLessThan(1_000);
        });
    }

    private void sendReliably(Command command) throws Exception {
        remote.sendReliable(PLAYER, command).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
