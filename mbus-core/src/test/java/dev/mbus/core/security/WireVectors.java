package dev.mbus.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbus.core.config.MbusConfig;
import dev.mbus.core.config.MbusConfigFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The captured datagrams of {@code shared/vectors}, with their keys and expected plaintext. */
final class WireVectors {

    static final List<String> FOLDERS = List.of("noencr", "des", "sha1-aes");

    /** One {@code .bin}: its name as in expected.json ({@code des/hello.bin}), bytes and plaintext. */
    record Vector(String name, String folder, byte[] datagram, byte[] plaintext, int expectedLength) {
        @Override
        public String toString() {
            return name;
        }
    }

    private WireVectors() {
    }

    static Path root() {
        String dir = System.getProperty("mbus.vectors");
        assertThat(dir).as("system property mbus.vectors (set by surefire)").isNotNull();
        Path root = Path.of(dir);
        assertThat(root.resolve("expected.json")).exists();
        return root;
    }

    static JsonNode expected() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(root().resolve("expected.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Vector> all() {
        JsonNode expected = expected();
        List<Vector> vectors = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> files = Files.list(root().resolve(folder))) {
                for (Path bin : files.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) {
                    String name = folder + "/" + bin.getFileName();
                    JsonNode entry = expected.get(name);
                    assertThat(entry).as("expected.json entry for " + name).isNotNull();
                    vectors.add(new Vector(name, folder, Files.readAllBytes(bin),
                            entry.get("plaintext").asString().getBytes(StandardCharsets.UTF_8),
                            entry.get("length").asInt()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vectors;
    }

    static MbusConfig config(String folder) {
        return MbusConfigFile.read(root().resolve(folder).resolve("config.mbus"));
    }
}
