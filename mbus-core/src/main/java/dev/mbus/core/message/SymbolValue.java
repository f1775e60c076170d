package dev.mbus.core.message;

/** An Mbus symbol: a letter, then letters, digits, {@code _}, {@code -} or {@code .}. */
public record SymbolValue(String name) implements MbusValue {

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
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    public static boolean isSymbolPart(int c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
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
