package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.transport.LoopbackSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Entities in separate JVM processes on one loopback bus. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MultiProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final int port = LoopbackSupport.freePort();
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Process spawn(String address) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                EntityProcess.class.getName(), Integer.toString(port), address)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(child);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("child's first line").startsWith("ready ");
        return child;
    }

    @Test
    void entitiesInThreeProcessesTalkAndLeave() throws Exception {
        ProtocolTimers quick = ProtocolTimers.RFC.withHello(Duration.ofMillis(200), Duration.ofMillis(40), 5);
        try (MbusEntity here = MbusEntity.start(EntityConfig.builder().address(Address.parse("(app:parent)"))
                .keys(MemoryBus.KEYS).transportSettings(LoopbackSupport.loopback(port)).timers(quick).build())) {
            List<MbusEvent> events = Collections.synchronizedList(new ArrayList<>());
            here.onEvent(events::add);
            Process polite = spawn("(app:child role:polite)");
            Process doomed = spawn("(app:child role:doomed)");
            await().atMost(WAIT).until(() -> here.peers().size() == 2);

            IncomingCommand reply = here.request(Address.parse("(role:polite)"), Command.of("echo", "from parent", 1), WAIT)
                    .get(20, TimeUnit.SECONDS);
            assertThat(reply.command()).isEqualTo(Command.of("echo.return", "from parent", 1));
            here.sendReliable(Address.parse("(role:doomed)"), Command.of("echo", 2)).get(20, TimeUnit.SECONDS);

            here.send(Address.parse("(role:polite)"), Command.of("mbus.quit"));
            assertThat(polite.waitFor(20, TimeUnit.SECONDS)).as("the child left when asked").isTrue();
            assertThat(polite.exitValue()).isZero();
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof MbusEvent.PeerLeft left
                    && left.reason() == MbusEvent.LeaveReason.BYE && left.peer().address().contains("role:polite")));

            doomed.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof MbusEvent.PeerLeft left
                    && left.reason() == MbusEvent.LeaveReason.TIMEOUT && left.peer().address().contains("role:doomed")));
            assertThat(here.peers()).extracting(Peer::address).isEmpty();
        }
    }
}
