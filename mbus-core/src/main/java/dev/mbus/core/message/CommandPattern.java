package dev.mbus.core.message;

/**
 * Command-name patterns used to route commands to handlers: an exact name
 * ({@code mbus.hello}), a prefix ending in {@code .*} ({@code tool.rat.*} matches
 * {@code tool.rat.volume} and {@code tool.rat.codec.set}, not {@code tool.rat} itself), or
 * {@code *} for every command.
 */
public final class CommandPattern {

    private CommandPattern() {
    }

    public static boolean matches(String pattern, String commandName) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            int prefixLength = pattern.length() - 1;
            return commandName.length() > prefixLength && commandName.regionMatches(0, pattern, 0, prefixLength);
        }
        return pattern.equals(commandName);
    }

    /** Whether {@code pattern} is a well-formed pattern. */
    public static boolean isValid(String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        String name = pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
        return SymbolValue.isSymbol(name);
    }
}
