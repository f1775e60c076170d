package dev.mbus.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the Mbus starter. Both are off by default: turn them on with
 * {@code mbus.template.observation-enabled=true} and {@code mbus.listener.observation-enabled=true}.
 *
 * <table>
 * <caption>Observations</caption>
 * <tr><th>name</th><th>contextual name</th><th>low cardinality keys</th><th>high cardinality keys</th></tr>
 * <tr><td>{@code mbus.template}</td><td>{@code <command> send}</td><td>{@code mbus.command},
 * {@code mbus.operation} (send, send_reliable, request)</td><td>{@code mbus.destination}</td></tr>
 * <tr><td>{@code mbus.listener}</td><td>{@code <command> receive}</td><td>{@code mbus.command},
 * {@code mbus.listener.id}, {@code mbus.reliable}</td><td>{@code mbus.source}</td></tr>
 * </table>
 *
 * A template observation of a reliable send or request stops when its future completes; a
 * failure (no acknowledgement, timeout, unknown destination) is recorded as its error.
 * Replace the conventions with {@link MbusTemplateObservationConvention} and
 * {@link MbusListenerObservationConvention} beans.
 */
public enum MbusObservationDocumentation implements ObservationDocumentation {

    /** A send, reliable send or request of the template. */
    TEMPLATE_OBSERVATION {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultMbusTemplateObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return TemplateLowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return TemplateHighCardinalityKeys.values();
        }
    },

    /** A call of an {@code @MbusListener} method. */
    LISTENER_OBSERVATION {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultMbusListenerObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return ListenerLowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return ListenerHighCardinalityKeys.values();
        }
    };

    /** Low cardinality keys of {@code mbus.template}. */
    public enum TemplateLowCardinalityKeys implements KeyName {
        /** The (first) command name. */
        COMMAND {
            @Override
            public String asString() {
                return "mbus.command";
            }
        },
        /** send, send_reliable or request. */
        OPERATION {
            @Override
            public String asString() {
                return "mbus.operation";
            }
        }
    }

    /** High cardinality keys of {@code mbus.template}. */
    public enum TemplateHighCardinalityKeys implements KeyName {
        /** The destination address. */
        DESTINATION {
            @Override
            public String asString() {
                return "mbus.destination";
            }
        }
    }

    /** Low cardinality keys of {@code mbus.listener}. */
    public enum ListenerLowCardinalityKeys implements KeyName {
        /** The command name. */
        COMMAND {
            @Override
            public String asString() {
                return "mbus.command";
            }
        },
        /** The listener id. */
        LISTENER_ID {
            @Override
            public String asString() {
                return "mbus.listener.id";
            }
        },
        /** Whether the message was reliable. */
        RELIABLE {
            @Override
            public String asString() {
                return "mbus.reliable";
            }
        }
    }

    /** High cardinality keys of {@code mbus.listener}. */
    public enum ListenerHighCardinalityKeys implements KeyName {
        /** The sender's address. */
        SOURCE {
            @Override
            public String asString() {
                return "mbus.source";
            }
        }
    }
}
