package dev.mbus.sample;

import dev.mbus.core.engine.EntityConfig;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import dev.mbus.core.transport.TransportSettings;
import dev.mbus.spring.test.MbusTestBus;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Helpers of the sample's tests: plain entities on a test's private bus, and JSON over HTTP. */
final class SampleTestSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SampleTestSupport() {
    }

    /**
     * Starts a plain engine entity (no Spring) on the bus of {@code @EmbeddedMbus}: its port and
     * key, loopback, TTL 0.
     */
    static MbusEntity join(MbusTestBus bus, String address) {
        Map<String, String> properties = bus.properties();
        MbusKeys keys = new MbusKeys(HashAlgorithm.HMAC_MD5_96,
                Base64.getDecoder().decode(properties.get("mbus.security.hash-key")), CipherAlgorithm.NOENCR, null);
        TransportSettings loopback = TransportSettings.defaults().withPort(bus.port())
                .withNetworkInterface(InetAddress.getLoopbackAddress().getHostAddress());
        return MbusEntity.start(EntityConfig.builder().address(Address.parse(address)).keys(keys)
                .transportSettings(loopback).build());
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
