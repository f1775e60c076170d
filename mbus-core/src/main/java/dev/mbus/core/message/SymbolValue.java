package dev.mbus.core.message;

/** An Mbus symbol: a letter, then letters, digits, {@code _}, {@code -} or {@code .}. */
public record SymbolValue(String name) implements MbusValue {

    private static final byte LETTER = 1;
    private static final byte PART = 2;
    /** Character classes of ASCII, looked up rather than compared: names are checked on every decode. */
    private static final byte[] CLASSES = new byte[128];

    static {
        for (int c = 0; c < CLASSES.length; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean part = letter || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
            CLASSES[c] = (byte) ((letter ? LETTER : 0) | (part ? PART : 0));
        }
    }

    public SymbolValue {
        if (!isSymbol(name)) {
            throw new IllegalArgumentException("not an Mbus symbol: " + name);
        }
    }

    /** Whether {@code text} is spelled as a symbol (and so as a command name). */
    public static boolean isSymbol(CharSequence text) {
        if (text == null || text.isEmpty() || !isAsciiLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            if (!isSymbolPart(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isAsciiLetter(int c) {
        return c >= 0 && c < 128 && (CLASSES[c] & LETTER) != 0;
    }

    public static boolean isSymbolPart(int c) {
        return c >= 0 && c < 128 && (CLASSES[c] & PART) != 0;
    }

    @Override
    public Object toJava() {
        return name;
    }

    @Override
    public String asString() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
