package dev.mbus.core.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.message.Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTableTest {

    private static final InetSocketAddress HOME = new InetSocketAddress("127.0.0.1", 47000);
    private static final InetSocketAddress ELSEWHERE = new InetSocketAddress("127.0.0.1", 47001);

    private final List<Peer> evicted = new ArrayList<>();

    private static Address peer(String name) {
        return Address.of("app:" + name);
    }

    /** Hears {@code name} from {@link #HOME} at {@code nanos}, with the wall clock {@code nanos} ms past the epoch. */
    private static PeerTable.Heard hear(PeerTable table, String name, long nanos) {
        return table.heard(peer(name), HOME, nanos, nanos, false);
    }

    /** An expiry pass that forgets the peers last heard before {@code nanos}, whatever their rhythm. */
    private static List<Peer> expireSilentSince(PeerTable table, long nanos) {
        return table.expire(nanos, 0, 0, 0);
    }

    private List<Address> evictedAddresses() {
        return evicted.stream().map(Peer::address).toList();
    }

    @Test
    void onlyOursWhileSomePeerIsKnownAndEveryOneIsOfThisLibrary() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        assertThat(table.onlyOurs()).as("nobody known yet").isFalse();
        table.heard(peer("a"), ELSEWHERE, 10, 1000, true);
        assertThat(table.onlyOurs()).isTrue();
        table.heard(peer("gmbus"), new InetSocketAddress("127.0.0.1", 47002), 20, 2000, false);
        assertThat(table.onlyOurs()).as("one of unknown kind").isFalse();
        table.remove(peer("gmbus"));
        table.heard(peer("rat"), HOME, 30, 3000, false);
        assertThat(table.onlyOurs()).as("a UCL tool").isFalse();
    }

    @Test
    void theSolePeerOfADestinationFollowsEveryJoinLeaveExpiryAndEviction() {
        PeerTable table = new PeerTable(2, 47000, evicted::add);
        Address players = Address.parse("(app:player)");
        table.heard(Address.parse("(app:player id:1)"), ELSEWHERE, 10, 1000, true);
        assertThat(table.soleMatch(players)).isEqualTo(Address.parse("(app:player id:1)"));
        assertThat(table.soleMatch(players)).as("asked again, nothing changed").isEqualTo(Address.parse("(app:player id:1)"));

        table.heard(Address.parse("(app:player id:2)"), ELSEWHERE, 20, 2000, true);
        assertThat(table.soleMatch(players)).as("a second player joined").isNull();

        table.remove(Address.parse("(app:player id:1)"));
        assertThat(table.soleMatch(players)).as("the first said bye").isEqualTo(Address.parse("(app:player id:2)"));

        table.heard(Address.parse("(app:mixer)"), ELSEWHERE, 30, 3000, true);
        table.heard(Address.parse("(app:recorder)"), ELSEWHERE, 40, 4000, true); // the table is full: one goes
        assertThat(evicted).isNotEmpty();
        assertThat(table.soleMatch(players)).as("the player was evicted, the longest silent").isNull();

        table.heard(Address.parse("(app:player id:3)"), ELSEWHERE, 50, 5000, true);
        assertThat(table.soleMatch(players)).isEqualTo(Address.parse("(app:player id:3)"));
        expireSilentSince(table, 60);
        assertThat(table.soleMatch(players)).as("fell silent").isNull();
    }

    @Test
    void theSendPathFindsTheSolePeerItsKindAndWhereUnicastReachesIt() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        table.heard(peer("ours"), ELSEWHERE, 10, 1000, true);
        table.heard(peer("rat"), HOME, 20, 2000, false); // from the bus port: a UCL tool

        assertThat(table.soleMatch(peer("ours"))).isEqualTo(peer("ours"));
        assertThat(table.soleMatch(Address.parse("(app:nobody)"))).as("none").isNull();
        assertThat(table.soleMatch(Address.BROADCAST)).as("several").isNull();
        assertThat(table.kindOf(peer("ours"))).isEqualTo(PeerKind.OURS);
        assertThat(table.kindOf(peer("rat"))).isEqualTo(PeerKind.UCL);
        assertThat(table.kindOf(Address.parse("(app:nobody)"))).isNull();
        assertThat(table.unicastEndpointOf(peer("ours"))).isEqualTo(ELSEWHERE);
        assertThat(table.unicastEndpointOf(peer("rat"))).as("its endpoint is shared").isNull();
        assertThat(table.unicastEndpointOf(Address.parse("(app:nobody)"))).isNull();

        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 47002);
        table.heard(peer("ours"), moved, 30, 3000, false);
        assertThat(table.unicastEndpointOf(peer("ours"))).as("moved, and not heard saying hello since").isNull();
        assertThat(table.kindOf(peer("ours"))).isEqualTo(PeerKind.OTHER);
    }

    @Test
    void aSenderIsNewThenKnownThenMovedWhenItsDatagramsComeFromElsewhere() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);

        assertThat(table.heard(peer("a"), HOME, 10, 1000, false)).isEqualTo(PeerTable.Heard.NEW);
        assertThat(table.heard(peer("a"), HOME, 20, 2000, false)).isEqualTo(PeerTable.Heard.KNOWN);
        assertThat(table.heard(peer("a"), ELSEWHERE, 30, 3000, false)).isEqualTo(PeerTable.Heard.MOVED);
        assertThat(table.heard(peer("a"), ELSEWHERE, 40, 4000, false)).isEqualTo(PeerTable.Heard.KNOWN);

        assertThat(table.get(peer("a")))
                .isEqualTo(new Peer(peer("a"), ELSEWHERE, Instant.ofEpochMilli(1000), Instant.ofEpochMilli(4000), PeerKind.OTHER));
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aNewcomerAtAFullTableEvictsThePeerHeardOnceAndSilentLongestBeforeAnyPeerHeardMoreThanOnce() {
        PeerTable table = new PeerTable(3, 47000, evicted::add);
        hear(table, "old-regular", 1);
        hear(table, "old-regular", 2); // heard twice, then silent longest of all
        hear(table, "once-early", 3);
        hear(table, "once-late", 4);

        assertThat(hear(table, "newcomer", 5)).isEqualTo(PeerTable.Heard.NEW);

        assertThat(evictedAddresses()).containsExactly(peer("once-early"));
        assertThat(table.get(peer("old-regular"))).isNotNull();
        assertThat(table.get(peer("newcomer"))).isNotNull();
        assertThat(table.size()).isEqualTo(3);

        hear(table, "another", 6);
        assertThat(evictedAddresses()).containsExactly(peer("once-early"), peer("once-late"));
        assertThat(table.get(peer("old-regular"))).isNotNull();
    }

    @Test
    void whenEveryPeerWasHeardMoreThanOnceTheOneSilentLongestMakesRoom() {
        PeerTable table = new PeerTable(3, 47000, evicted::add);
        for (String name : List.of("b", "a", "c")) {
            hear(table, name, 1);
        }
        hear(table, "a", 10);
        hear(table, "b", 30);
        hear(table, "c", 20);

        hear(table, "newcomer", 40);

        assertThat(evictedAddresses()).containsExactly(peer("a"));
        assertThat(table.snapshot()).extracting(Peer::address)
                .containsExactly(peer("b"), peer("c"), peer("newcomer"));
    }

    @Test
    void theEvictionsCallbackIsToldThePeerAsItWasLastHeard() {
        PeerTable table = new PeerTable(1, 47000, evicted::add);
        table.heard(peer("a"), HOME, 10, 1000, false);
        table.heard(peer("a"), ELSEWHERE, 20, 2000, false);

        hear(table, "b", 30);

        assertThat(evicted).containsExactly(
                new Peer(peer("a"), ELSEWHERE, Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), PeerKind.OTHER));
        assertThat(table.get(peer("a"))).isNull();
    }

    @Test
    void establishedCountsThePeersHeardMoreThanOnceAsOfTheLastExpire() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        hear(table, "regular", 1);
        hear(table, "regular", 2);
        hear(table, "once", 3);
        assertThat(table.established()).as("not counted before an expire pass").isZero();

        expireSilentSince(table, 0);
        assertThat(table.established()).isEqualTo(1);

        hear(table, "once", 4);
        assertThat(table.established()).as("still as of the last pass").isEqualTo(1);
        expireSilentSince(table, 0);
        assertThat(table.established()).isEqualTo(2);

        expireSilentSince(table, 3); // "regular" was last heard at 2
        assertThat(table.established()).as("expired peers do not count").isEqualTo(1);
    }

    @Test
    void expireRemovesAndReturnsThePeersSilentSinceBeforeTheGivenTime() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        hear(table, "silent", 10);
        hear(table, "just-in-time", 20);
        hear(table, "recent", 30);

        List<Peer> gone = expireSilentSince(table, 20);

        assertThat(gone).extracting(Peer::address).containsExactly(peer("silent"));
        assertThat(table.snapshot()).extracting(Peer::address).containsExactly(peer("just-in-time"), peer("recent"));
        assertThat(expireSilentSince(table, 20)).isEmpty();
        assertThat(evicted).as("expiry is no eviction").isEmpty();
    }

    @Test
    void removeForgetsAPeerAndReturnsItAsItWas() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        table.heard(peer("a"), HOME, 10, 1000, false);

        assertThat(table.remove(peer("a")))
                .isEqualTo(new Peer(peer("a"), HOME, Instant.ofEpochMilli(1000), Instant.ofEpochMilli(1000), PeerKind.UCL));
        assertThat(table.remove(peer("a"))).isNull();
        assertThat(hear(table, "a", 20)).as("heard again after a bye").isEqualTo(PeerTable.Heard.NEW);
    }

    @Test
    void matchingFindsThePeersWhoseAddressContainsTheDestination() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        table.heard(Address.of("app:rat", "media:audio"), HOME, 1, 1, false);
        table.heard(Address.of("app:vic", "media:video"), HOME, 1, 1, false);
        table.heard(Address.of("app:rat", "media:audio", "id:2"), HOME, 1, 1, false);

        assertThat(table.matching(Address.of("media:audio"))).extracting(Peer::address).containsExactlyInAnyOrder(
                Address.of("app:rat", "media:audio"), Address.of("app:rat", "media:audio", "id:2"));
        assertThat(table.matching(Address.of("app:vic"))).hasSize(1);
        assertThat(table.matching(Address.of("app:sdr"))).isEmpty();
    }

    @Test
    void aFloodOfOneOffSourcesNeverEvictsThePeersThatKeepBeingHeard() {
        int capacity = 64;
        int floods = 100_000;
        List<String> regulars = List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7");
        PeerTable table = new PeerTable(capacity, 47000, evicted::add);
        long now = 0;
        for (String regular : regulars) {
            hear(table, regular, ++now);
            hear(table, regular, ++now);
        }

        int newcomers = 0;
        for (int i = 0; i < floods; i++) {
            if (hear(table, "forged" + i, ++now) == PeerTable.Heard.NEW) {
                newcomers++;
            }
            if (i % 1000 == 999) { // the regulars keep saying hello, far less often than the flood
                for (String regular : regulars) {
                    hear(table, regular, ++now);
                }
            }
        }

        assertThat(newcomers).isEqualTo(floods);
        assertThat(table.size()).isEqualTo(capacity);
        List<Address> regularAddresses = regulars.stream().map(PeerTableTest::peer).toList();
        assertThat(regularAddresses).allSatisfy(regular -> assertThat(table.get(regular)).isNotNull());
        assertThat(evicted).as("every newcomer but the first to fill the table made room")
                .hasSize(floods - (capacity - regulars.size()));
        assertThat(evictedAddresses()).doesNotContainAnyElementsOf(regularAddresses);
        expireSilentSince(table, 0);
        assertThat(table.established()).as("the flood does not stretch the hello interval")
                .isEqualTo(regulars.size());
    }

    @Test
    void aPeerIsOursFromItsHelloUntilItMovesAndOnTheBusPortAlwaysUcl() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        table.heard(peer("a"), ELSEWHERE, 1, 1, false);
        assertThat(table.get(peer("a")).kind()).as("before its hello").isEqualTo(PeerKind.OTHER);
        table.heard(peer("a"), ELSEWHERE, 2, 2, true);
        table.heard(peer("a"), ELSEWHERE, 3, 3, false);
        assertThat(table.get(peer("a")).isOurs()).as("after its hello, whatever it sends").isTrue();
        table.heard(peer("a"), new InetSocketAddress("127.0.0.1", 47002), 4, 4, false);
        assertThat(table.get(peer("a")).kind()).as("moved: another process, maybe").isEqualTo(PeerKind.OTHER);

        table.heard(peer("rat"), HOME, 5, 5, true);
        assertThat(table.get(peer("rat")).kind()).as("the bus port is shared, whatever it says").isEqualTo(PeerKind.UCL);
        assertThat(PeerKind.UCL.maxDatagramBytes()).isEqualTo(1500);
        assertThat(PeerKind.UCL.takesWindow()).isFalse();
        assertThat(PeerKind.UCL.unicastSafe()).isFalse();
    }

    @Test
    void anEstablishedPeerIsGoneAfterTheLongerOfTheDeadTimeAndItsOwnRhythm() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        hear(table, "slow", 0);
        hear(table, "slow", 100); // says hello every 100: it knows more entities than we do
        hear(table, "fast", 95);
        hear(table, "fast", 100);
        hear(table, "once", 100);

        // Our dead time is 50, five intervals of 10; a peer heard once gets 200.
        assertThat(table.expire(200, 50, 200, 5)).extracting(Peer::address).containsExactly(peer("fast"));
        assertThat(table.nextExpiryNanos()).as("once's dead time ends first").isEqualTo(300);
        assertThat(table.expire(601, 50, 200, 5)).extracting(Peer::address)
                .containsExactlyInAnyOrder(peer("slow"), peer("once"));
    }

    @Test
    void aPeerHeardOnceHasNoRhythmAndGetsTheDeadTimeForPeersHeardOnce() {
        PeerTable table = new PeerTable(8, 47000, evicted::add);
        hear(table, "once", 0);

        assertThat(table.expire(100, 10, 100, 5)).isEmpty();
        assertThat(table.expire(101, 10, 100, 5)).extracting(Peer::address).containsExactly(peer("once"));
    }
}
