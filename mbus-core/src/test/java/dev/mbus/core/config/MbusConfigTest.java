package dev.mbus.core.config;

import dev.mbus.core.transport.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MbusConfigTest {

    static final MbusKeys KEYS = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
            "MbusTestHash".getBytes(StandardCharsets.US_ASCII), CipherAlgorithm.DES,
            new byte[] {1, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef});

    @Test
    void defaults() {
        MbusConfig config = MbusConfig.withDefaults(KEYS);
        assertThat(config.scope()).isEqualTo(Scope.HOSTLOCAL);
        assertThat(config.group()).isEqualTo("224.255.222.239");
        assertThat(config.port()).isEqualTo(47000);
        assertThat(config.otherEntries()).isEmpty();
        assertThat(Scope.HOSTLOCAL.ttl()).isZero();
        assertThat(Scope.LINKLOCAL.ttl()).isEqualTo(1);
        assertThat(Scope.parse(" linkLocal ")).isEqualTo(Scope.LINKLOCAL);
        assertThatThrownBy(() -> Scope.parse("SITELOCAL")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherEntriesAreAnUnmodifiableOrderedCopy() {
        Map<String, String> other = new LinkedHashMap<>();
        other.put("TIMER_R", "100");
        other.put("INTERFACE", "lo");
        MbusConfig config = new MbusConfig(KEYS, Scope.HOSTLOCAL, "224.255.222.239", 47000, other);
        other.put("LATER", "x");
        assertThat(config.otherEntries()).containsExactly(Map.entry("TIMER_R", "100"), Map.entry("INTERFACE", "lo"));
        assertThatThrownBy(() -> config.otherEntries().put("A", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new MbusConfig(KEYS, Scope.HOSTLOCAL, "g", 1, null).otherEntries()).isEmpty();
    }

    @Test
    void refusesWhatCouldNotBeWrittenBackFaithfully() {
        for (String badKey : new String[] {"", " X", "A=B", "#C", "[S]", "HASHKEY", "port", "A\nB"}) {
            Map<String, String> other = new HashMap<>();
            other.put(badKey, "v");
            assertThatThrownBy(() -> new MbusConfig(KEYS, Scope.HOSTLOCAL, "224.255.222.239", 47000, other))
                    .as(badKey).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new MbusConfig(KEYS, Scope.HOSTLOCAL, "224.255.222.239", 47000, Map.of("A", "x\ny")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MbusConfig(KEYS, Scope.HOSTLOCAL, "224.255.222.239", 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MbusConfig(KEYS, Scope.HOSTLOCAL, "224.255.222.239", 65536, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MbusConfig(KEYS, Scope.HOSTLOCAL, " ", 47000, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MbusConfig(null, Scope.HOSTLOCAL, "g", 47000, Map.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MbusConfig(KEYS, null, "g", 47000, Map.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringShowsNoKey() {
        String text = MbusConfig.withDefaults(KEYS).toString();
        assertThat(text).contains("MbusKeys[HMAC-MD5-96, DES]", "224.255.222.239", "47000", "HOSTLOCAL")
                .doesNotContain("MbusTestHash", Base64.getEncoder().encodeToString(KEYS.hashKey()),
                        Base64.getEncoder().encodeToString(KEYS.cipherKey()), "0123456789abcdef",
                        "ASNFZ4mrze8");
    }

    @Test
    void exceptionAccessors() {
        MbusConfigException e = new MbusConfigException(Path.of("/home/u/.mbus"), 3, "HASHKEY", "bad base64 key");
        assertThat(e).hasMessage("/home/u/.mbus:3: HASHKEY: bad base64 key");
        assertThat(e.file()).isEqualTo(Path.of("/home/u/.mbus"));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.key()).isEqualTo("HASHKEY");
        assertThat(new MbusConfigException(Path.of("/f"), 0, null, "gone")).hasMessage("/f: gone");
        assertThat(new MbusConfigException(Path.of("/f"), 0, "HASHKEY", "missing")).hasMessage("/f: HASHKEY: missing");
    }
}
