package dev.mbus.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    @Test
    void defaultsFollowTheProtocol() {
        TransportSettings s = TransportSettings.defaults();
        assertThat(s.group()).isNull();
        assertThat(s.effectiveGroup()).isEqualTo("224.255.222.239");
        assertThat(s.port()).isEqualTo(47000);
        assertThat(s.networkInterface()).isNull();
        assertThat(s.scope()).isEqualTo(Scope.HOSTLOCAL);
        assertThat(s.scope().ttl()).isZero();
        assertThat(s.ipv6()).isFalse();
        assertThat(s.receiveBufferBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(s.unicast()).isTrue();
    }

    @Test
    void ipv6DefaultGroupFollowsTheScope() throws Exception {
        TransportSettings v6 = TransportSettings.defaults().withIpv6(true);
        assertThat(v6.groupAddress()).isEqualTo(InetAddress.getByName("ff01::300"));
        assertThat(v6.withScope(Scope.LINKLOCAL).groupAddress()).isEqualTo(InetAddress.getByName("ff02::300"));
        assertThat(Scope.LINKLOCAL.ttl()).isEqualTo(1);
    }

    @Test
    void explicitGroupOverridesTheDefault() {
        TransportSettings s = TransportSettings.defaults().withGroup(" 239.1.2.3 ");
        assertThat(s.group()).isEqualTo("239.1.2.3");
        assertThat(s.effectiveGroup()).isEqualTo("239.1.2.3");
        assertThat(TransportSettings.defaults().withIpv6(true).withGroup("ff02::1234").effectiveGroup())
                .isEqualTo("ff02::1234");
    }

    @Test
    void withMethodsChangeOneThing() {
        TransportSettings s = TransportSettings.defaults().withPort(47001).withNetworkInterface("lo")
                .withReceiveBufferBytes(1 << 20).withUnicast(false).withScope(Scope.LINKLOCAL);
        assertThat(s).isEqualTo(new TransportSettings(null, 47001, "lo", Scope.LINKLOCAL, false, 1 << 20, false));
        assertThat(TransportSettings.defaults().withNetworkInterface("  ").networkInterface()).isNull();
    }

    @Test
    void rejectsAGroupThatIsNotMulticast() {
        assertThatThrownBy(() -> TransportSettings.defaults().withGroup("127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1 is not a multicast address");
    }

    @Test
    void rejectsAGroupThatIsNoLiteralWithoutLookingItUp() {
        assertThatThrownBy(() -> TransportSettings.defaults().withGroup("mbus.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IP address literal");
        assertThatThrownBy(() -> TransportSettings.defaults().withGroup("224.300.1.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid IPv4 address");
    }

    @Test
    void rejectsAGroupOfTheOtherFamily() {
        assertThatThrownBy(() -> TransportSettings.defaults().withGroup("ff02::300"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv6 address but the transport is set to IPv4");
        assertThatThrownBy(() -> TransportSettings.defaults().withGroup("224.255.222.239").withIpv6(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4 address but the transport is set to IPv6");
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThatThrownBy(() -> TransportSettings.defaults().withPort(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Mbus port 0 out of range 1..65535");
        assertThatThrownBy(() -> TransportSettings.defaults().withPort(65536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void rejectsATinyReceiveBuffer() {
        assertThatThrownBy(() -> TransportSettings.defaults().withReceiveBufferBytes(1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small");
    }

    @Test
    void scopeParsesConfigurationText() {
        assertThat(Scope.parse(" hostlocal ")).isEqualTo(Scope.HOSTLOCAL);
        assertThat(Scope.parse("LINKLOCAL")).isEqualTo(Scope.LINKLOCAL);
        assertThatThrownBy(() -> Scope.parse("global"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOSTLOCAL or LINKLOCAL");
    }
}
