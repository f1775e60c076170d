package dev.mbus.core.config;

import dev.mbus.core.MbusException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The Mbus configuration file could not be read, created or written. The message names the
 * file, the line (when the problem is on one) and the key, like
 * {@code /home/u/.mbus:3: HASHKEY: bad base64 key}; it never contains key material.
 */
public final class MbusConfigException extends MbusException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;

    /**
     * @param file   the configuration file
     * @param line   1-based line number, 0 when the problem is not on one line
     * @param key    the configuration key concerned, or {@code null}
     * @param detail what is wrong; must not contain key material
     */
    public MbusConfigException(Path file, int line, String key, String detail) {
        this(file, line, key, detail, null);
    }

    public MbusConfigException(Path file, int line, String key, String detail, Throwable cause) {
        super(format(file, line, key, detail), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.key = key;
    }

    private static String format(Path file, int line, String key, String detail) {
        StringBuilder sb = new StringBuilder().append(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null) {
            sb.append(key).append(": ");
        }
        return sb.append(detail).toString();
    }

    /** The configuration file concerned. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    /** The configuration key concerned (e.g. {@code HASHKEY}), or {@code null}. */
    public String key() {
        return key;
    }
}
