package dev.mbus.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.security.MbusKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The UCL-like test peer speaks with one of our entities, both ways, hash only and with DES. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UclPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final UclBus bus = new UclBus();

    @AfterEach
    void closeAll() throws Exception {
        bus.close();
    }

    private UclPeer ucl(String address, MbusKeys keys) {
        return bus.ucl(address, keys);
    }

    private MbusEntity ours(String address, MbusKeys keys) {
        return bus.ours(address, keys, builder -> builder.transportSettings(bus.settings().withUnicast(false)));
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void itFindsOurEntityAndTheyExchangeMessagesBothWays(TestKeys keys) throws Exception {
        UclPeer rat = ucl("(app:rat module:engine)", keys.keys());
        MbusEntity java = ours("(app:java)", keys.keys());
        List<String> atJava = Collections.synchronizedList(new ArrayList<>());
        java.subscribe("t.*", in -> atJava.add(in.command().name() + " " + in.arg(0).asString()));
        await().atMost(WAIT).until(() -> java.peers().size() == 1);

        java.send(rat.address(), Command.of("t.plain", "hello there"));
        java.sendReliable(rat.address(), Command.of("t.sure", 1)).get(5, TimeUnit.SECONDS);
        rat.send(java.address(), Command.of("t.plain", "a b c"));
        rat.sendReliable(java.address(), Command.of("t.sure", "x y")).get(5, TimeUnit.SECONDS);

        assertThat(rat.awaitCount("t.plain", 1, WAIT)).isTrue();
        assertThat(rat.awaitCount("t.sure", 1, WAIT)).isTrue();
        await().atMost(WAIT).until(() -> atJava.size() == 2);
        assertThat(atJava).containsExactly("t.plain a b c", "t.sure x y");
        assertThat(java.peers().get(0).endpoint().getPort()).as("it sends from the bus port").isEqualTo(bus.port());
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void aDatagramLongerThanItsBufferFailsItsDigestAndIsDropped(TestKeys keys) throws Exception {
        UclPeer rat = ucl("(app:rat)", keys.keys());
        UclPeer vic = ucl("(app:vic)", keys.keys());
        long before = rat.dropped();

        vic.send(rat.address(), Command.of("t.big", "x".repeat(1600)));
        vic.send(rat.address(), Command.of("t.small", "after"));

        assertThat(rat.awaitCount("t.small", 1, WAIT)).isTrue();
        assertThat(rat.handledCount("t.big")).isZero();
        assertThat(rat.dropped()).isGreaterThan(before);
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void itIgnoresAPeerWithOtherKeysOnTheSamePort(TestKeys keys) throws Exception {
        UclPeer rat = ucl("(app:rat)", keys.keys());
        UclPeer stranger = ucl("(app:rat id:other)", MbusKeys.generate());
        MbusEntity java = ours("(app:java)", keys.keys());
        await().atMost(WAIT).until(() -> java.peers().size() == 1);

        java.send(Address.parse("(app:rat)"), Command.of("t.plain", 1));

        assertThat(rat.awaitCount("t.plain", 1, WAIT)).isTrue();
        assertThat(stranger.handledCount("t.plain")).isZero();
        assertThat(java.peers()).hasSize(1);
    }
}
