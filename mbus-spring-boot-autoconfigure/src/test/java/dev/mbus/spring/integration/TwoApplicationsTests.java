package dev.mbus.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.DeliveryException;
import dev.mbus.core.engine.MbusEvent.LeaveReason;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.IntegerValue;
import dev.mbus.core.message.ListValue;
import dev.mbus.core.message.StringValue;
import dev.mbus.core.message.SymbolValue;
import dev.mbus.spring.actuate.metrics.MbusMetrics;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.core.MbusTemplate;
import dev.mbus.spring.event.MbusEngineStartedEvent;
import dev.mbus.spring.event.MbusPeerJoinedEvent;
import dev.mbus.spring.event.MbusQuitRequestedEvent;
import dev.mbus.spring.event.MbusPeerLeftEvent;
import dev.mbus.spring.integration.Apps.Mood;
import dev.mbus.spring.integration.Apps.Point;
import dev.mbus.spring.integration.Apps.PlayerStatus;
import dev.mbus.spring.listener.MbusListenerEndpointRegistry;
import dev.mbus.spring.observation.MbusListenerObservationContext;
import dev.mbus.spring.observation.MbusTemplateObservationContext;
import dev.mbus.spring.test.EmbeddedMbus;
import dev.mbus.spring.test.MbusListenerTestHarness;
import dev.mbus.spring.test.MbusListenerTestHarness.Invocation;
import dev.mbus.spring.test.MbusTestBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The player (this test's context, on a private bus from {@code @EmbeddedMbus}) and an engine
 * application started beside it on the same bus.
 */
@SpringBootTest(classes = Apps.PlayerApp.class, properties = {"mbus.health.required-peers=(app:engine)",
        "player.late-command=player.late", "mbus.listener.observation-enabled=true"})
@EmbeddedMbus(address = "(app:player module:ui)")
class TwoApplicationsTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Address PLAYER = Address.parse("(app:player)");

    private static ConfigurableApplicationContext engineApp;

    @Autowired
    MbusTestBus bus;

    @Autowired
    MbusListenerTestHarness harness;

    @Autowired
    Apps.PlayerListeners listeners;

    @Autowired
    MbusEngine playerEngine;

    @Autowired
    HealthIndicator mbusHealthIndicator;

    @Autowired
    MbusListenerEndpointRegistry registry;

    @Autowired
    Apps.Events playerEvents;

    MbusTemplate engine;

    @BeforeEach
    void engineApplication() throws Exception {
        if (engineApp == null) {
            engineApp = Apps.start(Apps.EngineApp.class, bus, "(app:engine)", "mbus.template.observation-enabled=true",
                    "mbus.listener.observation-enabled=true");
        }
        engine = engineApp.getBean(MbusTemplate.class);
        harness.reset();
        engine.getEngine().entity().awaitPeer(PLAYER, WAIT).get(5, TimeUnit.SECONDS);
        playerEngine.entity().awaitPeer(Address.parse("(app:engine)"), WAIT).get(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopEngineApplication() {
        if (engineApp != null) {
            engineApp.close();
            engineApp = null;
        }
    }

    @Test
    void unreliableSendReachesTheListenerWithTypedArgumentsAndHeaders() {
        engine.convertAndSend(PLAYER, "tool.rat.volume", 7, "dB");
        Invocation call = harness.awaitInvocation("volume", WAIT);
        assertThat(call.failed()).isFalse();
        assertThat(call.arguments()).startsWith(7, "dB"); // as the method took them: int, String, then the headers
        List<Object> seen = listeners.seen.get("volume");
        assertThat(seen.subList(0, 2)).containsExactly(7, "dB");
        assertThat(seen.get(2)).isEqualTo(engine.getEngine().address());
        assertThat(seen.get(3)).isEqualTo(false);
    }

    @Test
    void reliableSendIsAcknowledgedAndDelivered() throws Exception {
        engine.convertAndSendReliable(PLAYER, "tool.rat.volume", 9, "%").get(5, TimeUnit.SECONDS);
        Invocation call = harness.awaitInvocation("volume", WAIT);
        assertThat(call.arguments()).startsWith(9, "%");
        assertThat(listeners.seen.get("volume").get(3)).isEqualTo(true);
    }

    @Test
    void everySupportedParameterType() {
        engine.convertAndSend(PLAYER, "test.types", 42L, 2.5, true, "text", new byte[] {1, 2}, List.of(1, 2, 3),
                Mood.LOUD, new Point(3, 4), new SymbolValue("sym"), new IntegerValue(5));
        Invocation call = harness.awaitInvocation("types", WAIT);
        assertThat(call.error()).isNull();
        List<Object> seen = listeners.seen.get("types");
        assertThat(seen.get(0)).isEqualTo(42L);
        assertThat(seen.get(1)).isEqualTo(2.5);
        assertThat(seen.get(2)).isEqualTo(true);
        assertThat(seen.get(3)).isEqualTo("text");
        assertThat((byte[]) seen.get(4)).containsExactly(1, 2);
        assertThat(seen.get(5)).isEqualTo(List.of(1, 2, 3));
        assertThat(seen.get(6)).isEqualTo(Mood.LOUD);
        assertThat(seen.get(7)).isEqualTo(new Point(3, 4));
        assertThat(seen.get(8)).isEqualTo(new SymbolValue("sym"));
        assertThat(seen.get(9)).isEqualTo(new IntegerValue(5));
    }

    @Test
    void payloadRecordsAndPrefixPatterns() {
        engine.send(PLAYER, Command.of("test.payload", 5, 6), Command.of("tool.mixer.gain", "left", 0.5));
        harness.awaitInvocation("payload", WAIT);
        assertThat(listeners.seen.get("payload")).containsExactly(new Point(5, 6), "test.payload");
        harness.awaitInvocation("prefix", WAIT);
        assertThat(listeners.seen.get("prefix")).containsExactly("tool.mixer.gain", List.of("left", 0.5));
    }

    @Test
    void requestReply() throws Exception {
        PlayerStatus status = engine.convertSendAndReceive(PLAYER, "player.status", PlayerStatus.class, "playing")
                .get(5, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(new PlayerStatus("playing", 3));
        var reply = engine.request(PLAYER, Command.of("player.status", "paused")).get(5, TimeUnit.SECONDS);
        assertThat(reply.name()).isEqualTo("player.status.return");
        assertThat(reply.command().args()).containsExactly(new StringValue("paused"), new IntegerValue(3));
    }

    @Test
    void sendToSendsTheResultAsAnotherCommand() {
        MbusListenerTestHarness engineHarness = engineApp.getBean(MbusListenerTestHarness.class);
        engineHarness.reset();
        engine.convertAndSend(PLAYER, "player.echo", "hi");
        Invocation echoed = engineHarness.awaitInvocation("echoed", WAIT);
        assertThat(echoed.arguments()).containsExactly("hi!");
        assertThat(echoed.command().message().reliable()).isTrue();
    }

    @Test
    void failuresGoToTheErrorHandlerAndReliableCommandsAreStillAcknowledged() throws Exception {
        engine.convertAndSendReliable(PLAYER, "player.crash", 1).get(5, TimeUnit.SECONDS); // acknowledged
        assertThat(harness.awaitInvocation("crashing", WAIT).error()).hasMessage("crash 1");
        String answer = engine.convertSendAndReceive(PLAYER, "player.fail", String.class, 2).get(5, TimeUnit.SECONDS);
        assertThat(answer).isEqualTo("failed: boom 2");
    }

    @Test
    void conversionFailuresNameTheArgumentAndType() {
        engine.convertAndSend(PLAYER, "tool.rat.volume", "loud", "dB");
        Invocation call = harness.awaitInvocation("volume", WAIT);
        assertThat(call.error()).hasMessage("argument 0 of tool.rat.volume: expected int, found \"loud\" (string)");
        engine.convertAndSend(PLAYER, "tool.rat.volume", 3);
        assertThat(harness.awaitInvocation("volume", WAIT).error())
                .hasMessage("argument 1 of tool.rat.volume is missing: expected String, the command has 1 argument");
    }

    @Test
    void destinationFilter() {
        engine.convertAndSend(PLAYER, "ui.refresh", 1); // to (app:player): not to (module:ui)
        engine.convertAndSend(Address.parse("(module:ui)"), "ui.refresh", 2);
        assertThat(harness.awaitInvocation("uiOnly", WAIT).arguments()).containsExactly(2);
        assertThat(harness.getInvocations("uiOnly")).hasSize(1);
    }

    @Test
    void listenersStartAndStopById() throws Exception {
        assertThat(registry.getListenerContainer("late").isRunning()).isFalse();
        assertThat(registry.getListenerContainer("late").getEndpoint().getCommands()).containsExactly("player.late");
        registry.getListenerContainer("late").start();
        try {
            engine.convertAndSendReliable(PLAYER, "player.late").get(5, TimeUnit.SECONDS);
            harness.awaitInvocation("late", WAIT);
        } finally {
            registry.getListenerContainer("late").stop();
        }
    }

    @Test
    void reliableSendToNobodyFailsWithAReason() {
        CompletableFuture<Void> sent = engine.convertAndSendReliable(Address.parse("(app:nobody)"), "x.y");
        assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(DeliveryException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeliveryException.Reason.UNKNOWN_DESTINATION));
    }

    @Test
    void healthShowsTheOtherApplicationAsPeer() {
        Health health = mbusHealthIndicator.health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        Map<String, Object> details = health.getDetails();
        assertThat(details.get("address").toString()).contains("app:player", "module:ui", "id:");
        assertThat(details.get("group")).isEqualTo("224.255.222.239:" + bus.port());
        assertThat(details.get("interface")).isEqualTo("lo");
        assertThat(details.get("scope")).isEqualTo("HOSTLOCAL");
        assertThat(details.get("missingPeers")).isEqualTo(List.of());
        assertThat(details.get("peers").toString()).contains("app:engine", "endpoint=127.0.0.1:", "lastHeard=");
        assertThat(health.toString()).doesNotContain(bus.properties().get("mbus.security.hash-key"));
    }

    @Test
    void metersAndObservations() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        engineApp.getBean(MbusMetrics.class).bindTo(meters);
        engineApp.getBean(MbusListenerTestHarness.class).reset();
        engine.convertAndSendReliable(PLAYER, "tool.rat.volume", 1, "dB").get(5, TimeUnit.SECONDS);
        harness.awaitInvocation("volume", WAIT);
        engine.convertAndSend(PLAYER, "player.echo", "m");
        harness.awaitInvocation("echo", WAIT);
        engineApp.getBean(MbusListenerTestHarness.class).awaitInvocation("echoed", WAIT);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(meters.get("mbus.listener.invocations").tag("listener", "echoed").counter().count()).isEqualTo(1));
        assertThat(meters.get("mbus.messages.sent").functionCounter().count()).isGreaterThanOrEqualTo(2);
        assertThat(meters.get("mbus.commands.sent").functionCounter().count())
                .isGreaterThanOrEqualTo(meters.get("mbus.messages.sent").functionCounter().count());
        assertThat(meters.get("mbus.messages.received").functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("mbus.reliable.acknowledged").functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("mbus.datagrams.dropped").tag("reason", "bad_digest").functionCounter().count()).isZero();
        assertThat(meters.get("mbus.datagrams.dropped").tag("reason", "duplicate").functionCounter()).isNotNull();
        assertThat(meters.get("mbus.peers").gauge().value()).isGreaterThanOrEqualTo(1);

        List<io.micrometer.observation.Observation.Context> observed =
                engineApp.getBean(Apps.RecordingObservationHandler.class).stopped;
        assertThat(observed).anySatisfy(context -> {
            assertThat(context).isInstanceOf(MbusTemplateObservationContext.class);
            assertThat(context.getContextualName()).isEqualTo("tool.rat.volume send");
            assertThat(context.getLowCardinalityKeyValue("mbus.operation").getValue()).isEqualTo("send_reliable");
            assertThat(context.getHighCardinalityKeyValue("mbus.destination").getValue()).isEqualTo("(app:player)");
        });
        assertThat(observed).anySatisfy(context -> {
            assertThat(context).isInstanceOf(MbusListenerObservationContext.class);
            assertThat(context.getContextualName()).isEqualTo("player.echoed receive");
            assertThat(context.getLowCardinalityKeyValue("mbus.listener.id").getValue()).isEqualTo("echoed");
            assertThat(context.getHighCardinalityKeyValue("mbus.source").getValue()).contains("app:player");
        });
    }

    @Test
    void requiredPeersTurnHealthDownAndAGracefulShutdownSaysByeAtOnce() throws Exception {
        try (ConfigurableApplicationContext watcher = Apps.start(Apps.BareApp.class, bus, "(app:watcher)",
                "mbus.health.required-peers=(app:latecomer)")) {
            HealthIndicator health = watcher.getBean("mbusHealthIndicator", HealthIndicator.class);
            Health down = health.health(true);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("missingPeers")).isEqualTo(List.of("(app:latecomer)"));

            ConfigurableApplicationContext latecomer = Apps.start(Apps.BareApp.class, bus, "(app:latecomer)");
            Address latecomerAddress = latecomer.getBean(MbusEngine.class).address();
            await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
            Apps.Events events = watcher.getBean(Apps.Events.class);
            assertThat(events.received).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                    MbusEngineStartedEvent.class, started -> assertThat(started.getGroupPort()).isEqualTo(bus.port())));
            assertThat(events.received).anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                    MbusPeerJoinedEvent.class, joined -> assertThat(joined.getPeer().address()).isEqualTo(latecomerAddress)));

            latecomer.close();
            // A bye, not silence: the peer is gone well before five hello intervals.
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(events.received).anySatisfy(event ->
                    assertThat(event).isInstanceOfSatisfying(MbusPeerLeftEvent.class, left -> {
                        assertThat(left.getPeer().address()).isEqualTo(latecomerAddress);
                        assertThat(left.getReason()).isEqualTo(LeaveReason.BYE);
                    })));
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void quitRequestsBecomeApplicationEvents() {
        Apps.Events events = playerEvents;
        engine.send(PLAYER, Command.of("mbus.quit"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.received).anySatisfy(event ->
                assertThat(event).isInstanceOfSatisfying(MbusQuitRequestedEvent.class,
                        quit -> assertThat(quit.getRequester()).isEqualTo(engine.getEngine().address()))));
        assertThat(playerEngine.isRunning()).isTrue(); // what quitting means is the application's call
    }

    @Test
    void aGracefulShutdownLetsRunningListenersFinish() throws Exception {
        ConfigurableApplicationContext slow = Apps.start(Apps.SlowApp.class, bus, "(app:slow)");
        try {
            engine.getEngine().entity().awaitPeer(Address.parse("(app:slow)"), WAIT).get(5, TimeUnit.SECONDS);
            Apps.SlowListener listener = slow.getBean(Apps.SlowListener.class);
            MbusEngine slowEngine = slow.getBean(MbusEngine.class);
            engine.convertAndSendReliable(Address.parse("(app:slow)"), "slow.work").get(5, TimeUnit.SECONDS);
            assertThat(listener.started.await(5, TimeUnit.SECONDS)).isTrue();
            slow.close();
            assertThat(listener.finished).isTrue();
            assertThat(slowEngine.isRunning()).isFalse();
        } finally {
            slow.close();
        }
    }

    @Test
    void listValuesTravelAsListArguments() throws Exception {
        var reply = engine.request(PLAYER, new Command("player.status", List.of(new StringValue("x"))))
                .get(5, TimeUnit.SECONDS);
        assertThat(new ListValue(reply.command().args())).isEqualTo(ListValue.of("x", 3));
    }
}
