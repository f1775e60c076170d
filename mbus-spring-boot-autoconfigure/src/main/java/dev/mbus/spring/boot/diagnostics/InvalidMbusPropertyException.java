package dev.mbus.spring.boot.diagnostics;

import java.util.Objects;

/**
 * An {@code mbus.*} property the engine cannot start with. {@link MbusPropertyFailureAnalyzer}
 * turns it into Boot's failure report: the property, its value, where it was set, what is
 * wrong, what to do.
 */
public class InvalidMbusPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String defaultOrigin;
    private final String problem;
    private final String action;

    /**
     * @param property      the property, e.g. {@code mbus.transport.port}, with an index for a list element
     * @param value         the value as the report may show it; null for a key, which is never shown
     * @param defaultOrigin where the value came from when the property is not set (a default), or null
     * @param problem       what is wrong
     * @param action        what the user should do
     * @param cause         the failure behind it, or null
     */
    public InvalidMbusPropertyException(String property, String value, String defaultOrigin, String problem,
            String action, Throwable cause) {
        super(property + (value == null ? "" : " \"" + value + "\"") + ": " + problem, cause);
        this.property = Objects.requireNonNull(property, "property");
        this.value = value;
        this.defaultOrigin = defaultOrigin;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.action = Objects.requireNonNull(action, "action");
    }

    public String getProperty() {
        return property;
    }

    /** The value as it may be shown; null for a key. */
    public String getValue() {
        return value;
    }

    /** Where the value came from when the property is not set, or null. */
    public String getDefaultOrigin() {
        return defaultOrigin;
    }

    public String getProblem() {
        return problem;
    }

    public String getAction() {
        return action;
    }
}
