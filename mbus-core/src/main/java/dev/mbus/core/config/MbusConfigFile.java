package dev.mbus.core.config;

import dev.mbus.core.transport.Scope;
import dev.mbus.core.security.CipherAlgorithm;
import dev.mbus.core.security.HashAlgorithm;
import dev.mbus.core.security.MbusKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Mbus configuration file (protocol §9): where it is, reading it, creating it with fresh
 * keys when there is none, and writing it.
 *
 * <pre>
 * [MBUS]
 * CONFIG_VERSION=1
 * HASHKEY=(HMAC-MD5-96,&lt;base64 key&gt;)
 * ENCRYPTIONKEY=(DES,&lt;base64 key&gt;)
 * SCOPE=HOSTLOCAL
 * ADDRESS=224.255.222.239
 * PORT=47000
 * </pre>
 *
 * <p>Errors are {@link MbusConfigException}s naming the file, line and key; they never quote a
 * value from the file, so no key can end up in a log. A file that cannot be read is reported,
 * never replaced.
 *
 * <p>Whoever can read the file can read and forge the user's Mbus messages, and whoever can
 * change it or put their own in its place chooses the keys. So, on Linux, macOS and other Unix,
 * the file is refused, with an error saying what to do, unless:
 * <ul>
 * <li>it is a regular file owned by the user running this process, which neither group nor
 *     others may read or write ({@code chmod 600}; execute bits do not matter);
 * <li>its folder is owned by the user or by root, and neither group nor others may write it,
 *     unless it has the sticky bit, like {@code /tmp}, where only a file's owner may rename or
 *     remove it (only that folder is checked, not the folders above it);
 * <li>if it is a symbolic link, the user owns the link (a link another user planted is not
 *     followed), and the file it points to passes these rules itself; at most 8 links in a row.
 * </ul>
 * The file is opened without following symbolic links, and what was opened is checked to be
 * the file whose owner and mode were checked. The lock file beside it is opened the same way,
 * never created through a symbolic link, and must be a regular file of the user's own. New files
 * are created afresh with mode 0600, so never through a link, and only in a folder passing the
 * folder rule. On a file system without Unix owners and modes (Windows), none of this is checked.
 */
public final class MbusConfigFile {

    /** The file name in the home folder, or in the folder {@value #ENV_VARIABLE} names. */
    public static final String FILE_NAME = ".mbus";
    /** Environment variable naming the file, or a folder holding {@value #FILE_NAME}. */
    public static final String ENV_VARIABLE = "MBUS";

    private static final System.Logger LOG = System.getLogger(MbusConfigFile.class.getName());
    /** Names temporary files, so that another user cannot guess and take them first. */
    private static final SecureRandom TEMP_NAMES = new SecureRandom();
    private static final String HASHKEY = "HASHKEY";
    private static final String ENCRYPTIONKEY = "ENCRYPTIONKEY";

    /**
     * A {@link FileLock} is held by the whole JVM, and a second lock on the same file from
     * this JVM fails instead of waiting: threads of this JVM queue here first.
     */
    private static final Object JVM_LOCK = new Object();

    private MbusConfigFile() {
    }

    // ---------------------------------------------------------------- location

    /** {@link #locate} with this process's environment and home folder ({@code $HOME}, else {@code user.home}). */
    public static Path defaultLocation() {
        Map<String, String> env = System.getenv();
        String home = env.get("HOME");
        Path userHome = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
        return locate(env, userHome);
    }

    /**
     * The configuration file: the one {@code MBUS} names, or {@code .mbus} inside it when it
     * names a folder; without {@code MBUS}, {@code .mbus} in {@code userHome}.
     */
    public static Path locate(Map<String, String> env, Path userHome) {
        String named = env.get(ENV_VARIABLE);
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            return Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        }
        return userHome.resolve(FILE_NAME);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads and checks a configuration file.
     *
     * @throws MbusConfigException when it cannot be read, is malformed, or breaks the rules on
     *                             who may read and change it (see above)
     */
    public static MbusConfig read(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            bytes = KeyFileGuard.read(file);
        } catch (IOException e) {
            throw new MbusConfigException(file, 0, null, "cannot read it: " + describe(e), e);
        }
        return parse(file, bytes);
    }

    /** Parses file contents; {@code file} only names the source in errors. */
    static MbusConfig parse(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MbusConfigException(file, 0, null, "not UTF-8 text");
        }
        return new Parser(file).parse(text);
    }

    /** One read of one file. */
    private static final class Parser {
        private final Path file;
        private final Map<String, Integer> seenOnLine = new HashMap<>();
        private final Map<String, String> other = new LinkedHashMap<>();
        private HashAlgorithm hash;
        private byte[] hashKey;
        private CipherAlgorithm cipher = CipherAlgorithm.NOENCR;
        private byte[] cipherKey;
        private Scope scope = MbusConfig.DEFAULT_SCOPE;
        private String group = MbusConfig.DEFAULT_GROUP;
        private int port = MbusConfig.DEFAULT_PORT;

        Parser(Path file) {
            this.file = file;
        }

        MbusConfig parse(String text) {
            try {
                return parseLines(text);
            } finally {
                if (hashKey != null) {
                    Arrays.fill(hashKey, (byte) 0);
                }
                if (cipherKey != null) {
                    Arrays.fill(cipherKey, (byte) 0);
                }
            }
        }

        private MbusConfig parseLines(String text) {
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            String[] lines = text.split("\n", -1);
            boolean inSection = false;
            for (int i = 0; i < lines.length; i++) {
                int lineNo = i + 1;
                String line = lines[i].strip(); // also drops the CR of CRLF
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    if (!line.equalsIgnoreCase("[MBUS]")) {
                        throw error(lineNo, null, "unexpected section line; only [MBUS] is known");
                    }
                    if (inSection) {
                        throw error(lineNo, null, "second [MBUS] line");
                    }
                    inSection = true;
                    continue;
                }
                int eq = line.indexOf('=');
                String key = eq < 0 ? null : line.substring(0, eq).strip();
                if (!inSection) {
                    throw error(lineNo, key, "expected the [MBUS] line before any entry");
                }
                if (eq < 0) {
                    throw error(lineNo, null, "expected KEY=value");
                }
                if (key.isEmpty()) {
                    throw error(lineNo, null, "no key before '='");
                }
                entry(lineNo, key, line.substring(eq + 1).strip());
            }
            if (!inSection) {
                throw error(0, null, "no [MBUS] line: not an Mbus configuration file");
            }
            if (hash == null) {
                throw error(0, HASHKEY, "missing; the file must give the hash key");
            }
            return new MbusConfig(new MbusKeys(hash, hashKey, cipher, cipherKey), scope, group, port, other);
        }

        private void entry(int lineNo, String key, String value) {
            String name = key.toUpperCase(Locale.ROOT);
            if (!MbusConfig.KNOWN_KEYS.contains(name)) {
                other.put(key, value);
                return;
            }
            Integer first = seenOnLine.putIfAbsent(name, lineNo);
            if (first != null) {
                throw error(lineNo, name, "given again (first on line " + first + ")");
            }
            switch (name) {
                case "CONFIG_VERSION":
                    if (!value.equals("1")) {
                        throw error(lineNo, name, "unsupported version (only 1 is known)");
                    }
                    break;
                case HASHKEY:
                    hashEntry(lineNo, value);
                    break;
                case ENCRYPTIONKEY:
                    cipherEntry(lineNo, value);
                    break;
                case "SCOPE":
                    try {
                        scope = Scope.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw error(lineNo, name, "expected HOSTLOCAL or LINKLOCAL");
                    }
                    break;
                case "ADDRESS":
                    if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                        throw error(lineNo, name, "expected a multicast group address");
                    }
                    group = value;
                    break;
                case "PORT":
                    port = parsePort(value);
                    if (port < 1) {
                        throw error(lineNo, name, "expected a port number 1..65535");
                    }
                    break;
                default:
                    throw new AssertionError(name);
            }
        }

        private void hashEntry(int lineNo, String value) {
            String[] parts = algorithmAndKey(lineNo, HASHKEY, value);
            try {
                hash = HashAlgorithm.fromConfigName(parts[0]);
            } catch (IllegalArgumentException e) {
                throw error(lineNo, HASHKEY, "unknown hash algorithm (expected HMAC-MD5-96 or HMAC-SHA1-96)");
            }
            if (parts[1].isEmpty()) {
                throw error(lineNo, HASHKEY, "no key after the algorithm");
            }
            hashKey = decodeKey(lineNo, HASHKEY, parts[1]);
            if (hashKey.length == 0) {
                throw error(lineNo, HASHKEY, "empty key");
            }
        }

        private void cipherEntry(int lineNo, String value) {
            String[] parts = algorithmAndKey(lineNo, ENCRYPTIONKEY, value);
            try {
                cipher = CipherAlgorithm.fromConfigName(parts[0]);
            } catch (IllegalArgumentException e) {
                throw error(lineNo, ENCRYPTIONKEY, "unknown cipher (expected NOENCR, DES or AES)");
            }
            if (cipher == CipherAlgorithm.NOENCR) {
                if (!parts[1].isEmpty()) {
                    throw error(lineNo, ENCRYPTIONKEY, "NOENCR takes no key");
                }
                return;
            }
            if (parts[1].isEmpty()) {
                throw error(lineNo, ENCRYPTIONKEY, "no key after " + cipher);
            }
            cipherKey = decodeKey(lineNo, ENCRYPTIONKEY, parts[1]);
            if (!cipher.isValidKeyLength(cipherKey.length)) {
                String wanted = cipher == CipherAlgorithm.DES ? "8" : "16, 24 or 32";
                throw error(lineNo, ENCRYPTIONKEY,
                        "wrong key length: " + cipher + " needs " + wanted + " bytes, got " + cipherKey.length);
            }
        }

        /** {@code (ALG)}, {@code (ALG,key)} or {@code (ALG, key )} to {algorithm, key or ""}. */
        private String[] algorithmAndKey(int lineNo, String key, String value) {
            if (value.length() < 2 || value.charAt(0) != '(' || value.charAt(value.length() - 1) != ')') {
                throw error(lineNo, key, "expected (ALGORITHM,base64 key)");
            }
            String inner = value.substring(1, value.length() - 1);
            int comma = inner.indexOf(',');
            if (comma < 0) {
                return new String[] {inner.strip(), ""};
            }
            return new String[] {inner.substring(0, comma).strip(), inner.substring(comma + 1).strip()};
        }

        private byte[] decodeKey(int lineNo, String key, String base64) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                // The decoder's message quotes the offending character: not passed on.
                throw error(lineNo, key, "bad base64 key");
            }
        }

        private MbusConfigException error(int lineNo, String key, String detail) {
            return new MbusConfigException(file, lineNo, key, detail);
        }
    }

    /** The port number in {@code value}, or -1 when it is not one. */
    private static int parsePort(String value) {
        if (value.isEmpty() || value.length() > 5) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65535 ? port : -1;
    }

    // ---------------------------------------------------------------- creating and writing

    /**
     * Reads the file, first creating it when there is none: fresh {@link MbusKeys#generate()
     * HMAC-MD5-96 and DES keys}, default scope, group and port, readable and writable by its
     * owner only. Creation happens under an exclusive lock on {@code <file>.lock} next to it,
     * and the file appears complete in one step, so that entities starting together end up
     * with one file and the same keys. An existing file (or symbolic link) is never replaced.
     *
     * @throws MbusConfigException when the file cannot be created or read, is malformed, or
     *                             breaks the rules on who may read and change it
     */
    public static MbusConfig loadOrCreate(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            synchronized (JVM_LOCK) {
                try {
                    withFileLock(file, () -> {
                        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                            try {
                                publish(file, format(MbusConfig.withDefaults(MbusKeys.generate())), false);
                                LOG.log(System.Logger.Level.INFO, "created Mbus configuration file {0} with new keys", file);
                            } catch (FileAlreadyExistsException raced) {
                                // Someone who does not take our lock was quicker: theirs it is.
                            }
                        }
                    });
                } catch (IOException e) {
                    throw new MbusConfigException(file, 0, null, "cannot create it: " + describe(e), e);
                }
            }
        }
        return read(file);
    }

    /**
     * Writes {@code config} as a canonical file, readable and writable by its owner only; the
     * file appears complete in one step.
     *
     * @param overwrite whether an existing file may be replaced
     * @throws MbusConfigException when the file exists and {@code overwrite} is false, or it
     *                             cannot be written
     */
    public static void write(Path file, MbusConfig config, boolean overwrite) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        String text = format(config);
        synchronized (JVM_LOCK) {
            try {
                withFileLock(file, () -> {
                    if (!overwrite && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                        throw alreadyExists(file);
                    }
                    try {
                        publish(file, text, overwrite);
                    } catch (FileAlreadyExistsException e) {
                        throw alreadyExists(file);
                    }
                });
            } catch (IOException e) {
                throw new MbusConfigException(file, 0, null, "cannot write it: " + describe(e), e);
            }
        }
    }

    private static MbusConfigException alreadyExists(Path file) {
        return new MbusConfigException(file, 0, null, "already exists; not overwriting it without being told to");
    }

    /**
     * The canonical text of a configuration file, as {@link #write} writes it. Contains the
     * keys: handle it like the file.
     */
    public static String format(MbusConfig config) {
        MbusKeys keys = config.keys();
        Base64.Encoder base64 = Base64.getEncoder();
        StringBuilder sb = new StringBuilder(256)
                .append("[MBUS]\n")
                .append("CONFIG_VERSION=1\n")
                .append("HASHKEY=(").append(keys.hashAlgorithm().configName()).append(',')
                .append(base64.encodeToString(keys.hashKey())).append(")\n")
                .append("ENCRYPTIONKEY=(").append(keys.cipher().name());
        if (keys.cipher() != CipherAlgorithm.NOENCR) {
            sb.append(',').append(base64.encodeToString(keys.cipherKey()));
        }
        sb.append(")\n")
                .append("SCOPE=").append(config.scope().name()).append('\n')
                .append("ADDRESS=").append(config.group()).append('\n')
                .append("PORT=").append(config.port()).append('\n');
        config.otherEntries().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Runs {@code action} holding an exclusive lock on {@code <file>.lock}; the lock file stays.
     * Refuses a folder where other users could swap the files.
     */
    private static void withFileLock(Path file, IoAction action) throws IOException {
        KeyFileGuard.checkFolder(file);
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = KeyFileGuard.openLock(file, lockFile);
             FileLock lock = channel.lock()) {
            action.run();
        }
    }

    /**
     * Writes {@code text} to a new private temporary file beside {@code file}, then puts it in
     * place in one step: replacing an existing file when {@code replace}, otherwise failing
     * with {@link FileAlreadyExistsException} if one is there.
     */
    private static void publish(Path file, String text, boolean replace) throws IOException {
        Path temp = file.toAbsolutePath().resolveSibling(
                file.getFileName() + "." + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36) + ".tmp");
        FileChannel created = KeyFileGuard.createNew(temp); // written through this channel, never reopened by name
        try {
            try (FileChannel channel = created) {
                ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (replace) {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                publishNew(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Gives {@code temp}'s contents the name {@code file}, atomically, unless that name exists. */
    private static void publishNew(Path temp, Path file) throws IOException {
        try {
            // A hard link is atomic and, unlike rename(2), never replaces an existing file.
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links on this file system: a move that refuses an existing target.
            Files.move(temp, file);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
