package dev.mbus.core.testsupport;

import dev.mbus.core.config.MbusConfigFile;
import dev.mbus.core.security.MbusKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the wire vectors of {@code shared/vectors} (see its README): every {@code .bin} under
 * the cipher folders, checked against {@code expected.json}. The folder comes from system
 * property {@code mbus.vectors}, set by Surefire; a test run from an IDE falls back to
 * {@code shared/vectors} beside the repository.
 */
public final class WireVectors {

    /** The vector folders, one per security setting. */
    public static final List<String> FOLDERS = List.of("noencr", "des", "sha1-aes");

    /** The private copies {@link #config} made, by folder. */
    private static final Map<String, Path> PRIVATE_CONFIGS = new ConcurrentHashMap<>();

    private WireVectors() {
    }

    /** The vectors folder. */
    public static Path root() {
        String configured = System.getProperty("mbus.vectors");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/vectors");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            candidate = dir.resolveSibling("shared").resolve("vectors");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("wire vectors not found: set system property mbus.vectors");
    }

    /** The keys of one folder, from its configuration file. */
    public static MbusKeys keys(String folder) {
        return MbusConfigFile.read(config(folder)).keys();
    }

    /** The vector with this name, e.g. {@code noencr/hello.bin}. */
    public static WireVector named(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no vector " + name));
    }

    /**
     * The configuration file of one folder, as a private copy (mode 0600, in a folder of its
     * own, deleted when the JVM exits): {@link MbusConfigFile#read} refuses the shared original,
     * which everyone can read. The copy is byte for byte the original.
     */
    public static Path config(String folder) {
        return PRIVATE_CONFIGS.computeIfAbsent(folder, WireVectors::privateCopy);
    }

    private static Path privateCopy(String folder) {
        try {
            Path copies = Files.createTempDirectory("mbus-vectors-"); // mode 0700
            copies.toFile().deleteOnExit(); // deleted after the files registered below
            Path copy = copies.resolve(folder + ".mbus");
            Files.copy(root().resolve(folder).resolve("config.mbus"), copy);
            copy.toFile().deleteOnExit();
            return KeyFiles.ownerOnly(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every vector, in the order of expected.json. Fails when a {@code .bin} file has no entry
     * in expected.json or the other way round, so that no vector goes untested.
     */
    public static List<WireVector> all() {
        Path root = root();
        JsonNode expected = JsonMapper.builder().build().readTree(root.resolve("expected.json"));
        List<WireVector> vectors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : expected.properties()) {
            vectors.add(vector(root, entry.getKey(), entry.getValue()));
        }
        List<String> onDisk = binFiles(root);
        List<String> described = vectors.stream().map(WireVector::name).sorted().toList();
        if (!onDisk.equals(described)) {
            throw new IllegalStateException("expected.json describes " + described + " but the folders hold " + onDisk);
        }
        return vectors;
    }

    /** The vectors of one folder. */
    public static List<WireVector> in(String folder) {
        return all().stream().filter(v -> v.folder().equals(folder)).toList();
    }

    private static WireVector vector(Path root, String name, JsonNode node) {
        List<Long> acks = new ArrayList<>();
        node.get("acks").values().forEach(ack -> acks.add(ack.longValue()));
        List<String> commands = new ArrayList<>();
        node.get("commands").values().forEach(command -> commands.add(command.stringValue()));
        return new WireVector(name, root.resolve(name), node.get("length").intValue(),
                node.get("plaintext").stringValue(), node.get("seq").longValue(),
                node.get("timestamp").longValue(), node.get("type").stringValue(),
                node.get("src").stringValue(), node.get("dst").stringValue(), List.copyOf(acks),
                List.copyOf(commands));
    }

    private static List<String> binFiles(Path root) {
        List<String> names = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                files.filter(f -> f.getFileName().toString().endsWith(".bin"))
                        .forEach(f -> names.add(folder + "/" + f.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        names.sort(null);
        return names;
    }
}
