package dev.mbus.spring.boot.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.spring.boot.autoconfigure.MbusAutoConfiguration;
import dev.mbus.spring.boot.autoconfigure.health.MbusHealthContributorAutoConfiguration;
import dev.mbus.spring.core.MbusEngine;
import dev.mbus.spring.test.MbusTestBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Each {@code mbus.*} misconfiguration ends start-up with a failure analysis that names the
 * property, its value (never a key) and where it was set, and says what to do.
 */
class MbusPropertyFailureAnalyzerTests {

    private static final String SECRET = "c2VjcmV0LWtleS0x"; // Base64, 12 bytes

    private final MbusTestBus bus = MbusTestBus.create();

    @Test
    void anAddressThatDoesNotParse() {
        FailureAnalysis analysis = failureOf("mbus.entity.address=(app:x");
        assertThat(analysis.getDescription()).contains("mbus.entity.address", "\"(app:x\"",
                "application.properties", "1:", "not an address element");
        assertThat(analysis.getAction()).contains("mbus.entity.address", "\"(app:player module:ui)\"");
    }

    @Test
    void anAddressWithoutParenthesesIsTheSameAddress() {
        runner("mbus.entity.address=app:x module:ui").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MbusEngine.class).address().elements()).contains("app:x", "module:ui");
        });
    }

    @Test
    void aPortOutOfRange() {
        FailureAnalysis analysis = failureOf("# the bus", "mbus.transport.port=99999");
        assertThat(analysis.getDescription()).contains("mbus.transport.port", "\"99999\"", "application.properties",
                "2:", "1..65535");
        assertThat(analysis.getAction()).contains("mbus.transport.port", "47000");
    }

    @Test
    void aSizeForOurOwnEntitiesBelowTheCommonOne() {
        FailureAnalysis analysis = failureOf("mbus.batching.max-own-datagram-size=1KB");
        assertThat(analysis.getDescription()).contains("mbus.batching.max-own-datagram-size", "\"1KB\"",
                "application.properties", "1500");
        assertThat(analysis.getAction()).contains("mbus.batching.max-own-datagram-size", "65507B");
    }

    @Test
    void anInterfaceThisHostDoesNotHave() {
        FailureAnalysis analysis = failureOf("mbus.transport.interface=nosuch0");
        assertThat(analysis.getDescription()).contains("mbus.transport.interface", "\"nosuch0\"",
                "application.properties", "available:", "lo");
        assertThat(analysis.getAction()).contains("mbus.transport.interface", "loopback");
    }

    @Test
    void aGroupThatIsNotMulticast() {
        FailureAnalysis analysis = failureOf("mbus.transport.group=10.1.2.3");
        assertThat(analysis.getDescription()).contains("mbus.transport.group", "\"10.1.2.3\"", "not a multicast");
        assertThat(analysis.getAction()).contains("224.255.222.239");
    }

    @Test
    void aCipherWithoutInlineKeysIsNotIgnored(@TempDir Path home) {
        FailureAnalysis analysis = failureWithoutInlineKeys(home, "mbus.security.cipher=AES");
        assertThat(analysis.getDescription()).contains("mbus.security.cipher", "\"AES\"", "application.properties",
                "mbus.security.hash-key is not set");
        assertThat(analysis.getAction()).contains("mbus.security.hash-key", "remove mbus.security.cipher");
        assertThat(home).isEmptyDirectory(); // the configuration file was not even read
    }

    @Test
    void aHashAlgorithmWithoutInlineKeysIsNotIgnored(@TempDir Path home) {
        FailureAnalysis analysis = failureWithoutInlineKeys(home, "mbus.security.hash-algorithm=HMAC-SHA1-96");
        assertThat(analysis.getDescription()).contains("mbus.security.hash-algorithm", "mbus.security.hash-key is not set");
    }

    @Test
    void anInlineCipherWithoutItsKey() {
        FailureAnalysis analysis = failureOf("mbus.security.cipher=AES");
        assertThat(analysis.getDescription()).contains("mbus.security.cipher-key", "AES key must be 16, 24 or 32 bytes");
        assertThat(analysis.getAction()).contains("mbus.security.cipher-key", "NOENCR");
    }

    @Test
    void aCipherKeyWithoutACipher() {
        FailureAnalysis analysis = failureOf("mbus.security.cipher-key=" + SECRET);
        assertThat(analysis.getDescription()).contains("mbus.security.cipher", "NOENCR takes no key")
                .doesNotContain(SECRET);
        assertThat(analysis.getAction()).contains("DES or AES");
    }

    @Test
    void aKeyThatIsNotBase64IsNeverShown() {
        FailureAnalysis analysis = failureOf("mbus.security.hash-key=not*base64!secret");
        assertThat(analysis.getDescription()).contains("mbus.security.hash-key", "application.properties", "Base64")
                .doesNotContain("not*base64!secret");
        assertThat(analysis.getAction()).contains("HASHKEY");
    }

    @Test
    void aMalformedConfigurationFile(@TempDir Path folder) throws IOException {
        Path file = privateFile(folder.resolve("bus.mbus"), "[MBUS]\nSCOPE=GLOBAL\nHASHKEY=(HMAC-MD5-96," + SECRET + ")\n");
        FailureAnalysis analysis = failureWithoutInlineKeys(folder, "mbus.security.config-file=" + file);
        assertThat(analysis.getDescription()).contains("mbus.security.config-file", file.toString(),
                "application.properties", file + ":2: SCOPE: expected HOSTLOCAL or LINKLOCAL").doesNotContain(SECRET);
        assertThat(analysis.getAction()).contains("line", "mbus.security.hash-key");
    }

    @Test
    void aConfigurationFileOthersCanRead(@TempDir Path folder) throws IOException {
        Path file = privateFile(folder.resolve("bus.mbus"), "[MBUS]\nHASHKEY=(HMAC-MD5-96," + SECRET + ")\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        FailureAnalysis analysis = failureWithoutInlineKeys(folder, "mbus.security.config-file=" + file);
        assertThat(analysis.getDescription()).contains("mbus.security.config-file", "group or others",
                "chmod 600 " + file);
        assertThat(analysis.getAction()).contains("what the problem says", "mbus.security.config-file");
    }

    @Test
    void aTemplateDestinationThatDoesNotParse() {
        FailureAnalysis analysis = failureOf("mbus.template.default-destination=(app:ui");
        assertThat(analysis.getDescription()).contains("mbus.template.default-destination", "\"(app:ui\"",
                "application.properties");
    }

    @Test
    void aRequiredPeerThatDoesNotParse() {
        FailureAnalysis analysis = failureOf("mbus.health.required-peers[0]=(app:engine)",
                "mbus.health.required-peers[1]=engine");
        assertThat(analysis.getDescription()).contains("mbus.health.required-peers[1]", "\"engine\"",
                "application.properties", "2:");
    }

    @Test
    void inboundBoundsBelowOneDatagram() {
        FailureAnalysis analysis = failureOf("mbus.inbound.max-bytes-per-sender=60KB");
        assertThat(analysis.getDescription()).contains("mbus.inbound.max-bytes-per-sender", "\"60KB\"", "65507");
        assertThat(analysis.getAction()).contains("65507B");
    }

    // ------------------------------------------------------------------ helpers

    private ApplicationContextRunner runner(String... applicationProperties) {
        return runner(bus.propertyValues("(app:unit)"), applicationProperties, new AtomicReference<>());
    }

    private static ApplicationContextRunner runner(String[] base, String[] applicationProperties,
            AtomicReference<ConfigurableEnvironment> environment) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MbusAutoConfiguration.class,
                        MbusHealthContributorAutoConfiguration.class))
                .withPropertyValues(base)
                .withInitializer(context -> {
                    environment.set(context.getEnvironment());
                    context.getEnvironment().getPropertySources().addFirst(applicationProperties(applicationProperties));
                });
    }

    /** Starts a context whose application.properties has {@code lines}, on the test bus; analyzes its failure. */
    private FailureAnalysis failureOf(String... lines) {
        return analyze(bus.propertyValues("(app:unit)"), lines);
    }

    /** {@link #failureOf} with the test bus but no inline keys, and {@code home} as the default file's folder. */
    private FailureAnalysis failureWithoutInlineKeys(Path home, String... lines) {
        List<String> base = new ArrayList<>();
        for (Map.Entry<String, String> property : bus.properties().entrySet()) {
            if (!property.getKey().startsWith("mbus.security.")) {
                base.add(property.getKey() + "=" + property.getValue());
            }
        }
        base.add("mbus.security.config-file=" + home.resolve("default.mbus"));
        return analyze(base.toArray(String[]::new), lines);
    }

    private static FailureAnalysis analyze(String[] base, String[] lines) {
        AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        runner(base, lines, environment).run(context -> {
            assertThat(context).hasFailed();
            failure.set(context.getStartupFailure());
        });
        FailureAnalysis analysis = new MbusPropertyFailureAnalyzer(environment.get()).analyze(failure.get());
        assertThat(analysis).as("the analysis of %s", failure.get()).isNotNull();
        return analysis;
    }

    private static PropertySource<?> applicationProperties(String... lines) {
        ByteArrayResource resource = new ByteArrayResource(
                String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1), "application.properties");
        try {
            return new PropertiesPropertySourceLoader().load("application.properties", resource).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path privateFile(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
