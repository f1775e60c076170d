package dev.mbus.spring.boot.diagnostics;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Boot's "APPLICATION FAILED TO START" report for an {@link InvalidMbusPropertyException}: in
 * the layout of Boot's own binding report, with the property's origin (file and line) looked up
 * in the environment. Registered in {@code META-INF/spring.factories}.
 */
public class MbusPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMbusPropertyException> {

    private final Environment environment;

    /** @param environment the failed application's environment, for origins; may be null */
    public MbusPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidMbusPropertyException cause) {
        Found found = find(cause.getProperty());
        String value;
        if (cause.getValue() == null) {
            value = "(a key: not shown)";
        } else {
            // As written ("60KB"), not as bound ("61440B"), unless only the whole list was found.
            value = "\"" + (found != null && found.exact() ? found.property().getValue() : cause.getValue()) + "\"";
        }
        String origin = found != null ? found.origin()
                : cause.getDefaultOrigin() != null ? cause.getDefaultOrigin() : "unknown";
        String description = "The Mbus engine cannot start with this configuration:\n\n"
                + "    Property: " + cause.getProperty() + "\n"
                + "    Value:    " + value + "\n"
                + "    Origin:   " + origin + "\n"
                + "    Problem:  " + cause.getProblem();
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

    /** Where {@code property} is set, or null when it is not set (or there is no environment). */
    private Found find(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return new Found(found, true, source);
            }
            if (name.isLastElementIndexed()) {
                found = source.getConfigurationProperty(name.getParent()); // a list given as "a,b"
                if (found != null) {
                    return new Found(found, false, source);
                }
            }
        }
        return null;
    }

    /** A property found in the environment; {@code exact} when not only its list was. */
    private record Found(ConfigurationProperty property, boolean exact, ConfigurationPropertySource source) {

        /** The file and line where known, else the property source. */
        String origin() {
            if (property.getOrigin() != null) {
                return property.getOrigin().toString();
            }
            return source.getUnderlyingSource() instanceof PropertySource<?> named
                    ? "property source '" + named.getName() + "'" : "the environment";
        }
    }
}
