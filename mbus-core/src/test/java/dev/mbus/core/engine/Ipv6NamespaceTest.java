package dev.mbus.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine over IPv6, in a network namespace this test creates ({@code unshare -rn}: no
 * privileges needed, nothing leaves it). Linux delivers no IPv6 multicast through {@code lo},
 * so the namespace gets a veth pair with an address; both groups, FF01::300 (HOSTLOCAL) and
 * FF02::300 (LINKLOCAL), are tried on it. Skipped where unprivileged namespaces are not allowed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Ipv6NamespaceTest {

    private static final String INTERFACE = "mbus0";
    private static final String SET_UP = "ip link set lo up"
            + " && ip link add " + INTERFACE + " type veth peer name mbus1"
            + " && ip link set " + INTERFACE + " up && ip link set mbus1 up"
            + " && ip -6 addr add fd00::1/64 dev " + INTERFACE + " nodad"
            + " && exec \"$@\"";

    @Test
    void entitiesFindEachOtherAndTalkOverIpv6OnBothScopes() throws Exception {
        Assumptions.assumeTrue(canCreateNetworkNamespace(), "unprivileged network namespaces (unshare -rn) are not available");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder("unshare", "-rn", "sh", "-c", SET_UP, "sh", java.toString(),
                "-cp", System.getProperty("java.class.path"), Ipv6BusProcess.class.getName(), INTERFACE)
                .redirectErrorStream(true).start();
        try {
            assertThat(child.waitFor(80, TimeUnit.SECONDS)).as("the child finished").isTrue();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output.lines().filter(line -> line.startsWith("ok ")).toList())
                    .containsExactly("ok HOSTLOCAL FF01::300", "ok LINKLOCAL FF02::300");
        } finally {
            child.destroyForcibly();
        }
    }

    private static boolean canCreateNetworkNamespace() {
        try {
            Process probe = new ProcessBuilder("unshare", "-rn", "sh", "-c", "ip link add probe0 type veth peer name probe1")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
