package dev.mbus.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkInterfacesTest {

    @Test
    void defaultIsTheLoopbackInterface() throws Exception {
        NetworkInterfaces.Resolved r = NetworkInterfaces.resolve(null, false);
        assertThat(r.networkInterface().isLoopback()).isTrue();
        assertThat(r.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void byName() throws Exception {
        NetworkInterfaces.Resolved r = NetworkInterfaces.resolve("lo", false);
        assertThat(r.name()).isEqualTo("lo");
        assertThat(r.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void byAddressBindsThatAddress() throws Exception {
        NetworkInterfaces.Resolved r = NetworkInterfaces.resolve("127.0.0.1", false);
        assertThat(r.networkInterface().isLoopback()).isTrue();
        assertThat(r.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void ipv6LoopbackByAddress() throws Exception {
        NetworkInterfaces.Resolved r = NetworkInterfaces.resolve("::1", true);
        assertThat(r.networkInterface().isLoopback()).isTrue();
        assertThat(r.address()).isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void unknownNameListsTheAvailableInterfaces() {
        assertThatThrownBy(() -> NetworkInterfaces.resolve("nosuch0", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("No network interface 'nosuch0'; available: ")
                .hasMessageContaining("lo (");
    }

    @Test
    void addressOfTheOtherFamilyIsRejected() {
        assertThatThrownBy(() -> NetworkInterfaces.resolve("127.0.0.1", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is IPv4 but the transport is set to IPv6");
    }

    @Test
    void addressNotOnThisHostIsRejected() {
        assertThatThrownBy(() -> NetworkInterfaces.resolve("198.51.100.77", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No network interface '198.51.100.77'");
    }
}
