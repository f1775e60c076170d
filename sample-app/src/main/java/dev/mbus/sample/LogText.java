package dev.mbus.sample;

/**
 * Text from the bus made safe for a log line: control, format and line-separator characters
 * (CR, LF, ESC, bidi overrides, ...) written as escapes, so that nobody on the bus can end a
 * line, forge the next one or drive the terminal; and at most {@value #MAX_CHARS} characters,
 * so that one argument cannot fill the log.
 */
public final class LogText {

    /** How many characters of one value a log line keeps, escapes included. */
    public static final int MAX_CHARS = 200;

    private LogText() {
    }

    public static String of(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 24);
        int index = 0;
        while (index < text.length() && out.length() < MAX_CHARS) {
            int codePoint = text.codePointAt(index);
            append(codePoint, out);
            index += Character.charCount(codePoint);
        }
        if (index < text.length()) {
            out.append("...(").append(text.length() - index).append(" more chars)");
        }
        return out.toString();
    }

    private static void append(int codePoint, StringBuilder out) {
        switch (codePoint) {
            case '\r' -> out.append("\\r");
            case '\n' -> out.append("\\n");
            case '\t' -> out.append("\\t");
            default -> {
                int type = Character.getType(codePoint);
                if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED) {
                    out.append(String.format("\\u%04x", codePoint));
                } else {
                    out.appendCodePoint(codePoint);
                }
            }
        }
    }
}
