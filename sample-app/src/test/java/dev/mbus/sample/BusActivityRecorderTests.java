package dev.mbus.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.awareness.Peer;
import dev.mbus.core.engine.MbusEvent.LeaveReason;
import dev.mbus.core.message.Address;
import dev.mbus.sample.BusActivity.Entry;
import dev.mbus.sample.BusActivity.Kind;
import dev.mbus.spring.event.MbusPeerLeftEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the page words a peer leaving, for every way it can leave. */
class BusActivityRecorderTests {

    @Test
    void aLeavingPeerIsRecordedWithHowItLeft() {
        SampleProperties properties = new SampleProperties(SampleProperties.Role.PLAYER, "(app:sample-player)",
                new SampleProperties.Controller(Duration.ofSeconds(10)), new SampleProperties.Activity(50), true,
                new SampleProperties.Web(List.of(), false), new SampleProperties.Log(20));
        BusActivity activity = new BusActivity(properties);
        BusActivityRecorder recorder = new BusActivityRecorder(activity, new LogBudget(properties));
        Map<LeaveReason, String> words = new EnumMap<>(LeaveReason.class);

        for (LeaveReason reason : LeaveReason.values()) {
            Address address = Address.parse("(app:gone reason:" + reason.name().toLowerCase(Locale.ROOT) + ")");
            Peer peer = new Peer(address, new InetSocketAddress("127.0.0.1", 47000), Instant.EPOCH, Instant.EPOCH);
            recorder.left(new MbusPeerLeftEvent(this, peer, reason));
            Entry entry = activity.recent().get(0);
            assertThat(entry.kind()).isEqualTo(Kind.LEFT);
            assertThat(entry.peer()).isEqualTo(address.toString());
            words.put(reason, entry.detail());
        }

        assertThat(words).containsExactlyInAnyOrderEntriesOf(Map.of(
                LeaveReason.BYE, "said bye",
                LeaveReason.TIMEOUT, "fell silent",
                LeaveReason.EVICTED, "was evicted from a full peer table"));
    }
}
