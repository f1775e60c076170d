package dev.mbus.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Library log records (System.Logger, backed by java.util.logging) as one terminal line each:
 * {@code mbus: warning: handler for tool.x from (app:y) failed ...}, instead of the two-line
 * java.util.logging default with a timestamp and class name. Warnings and errors from
 * anywhere, and information from Mbus itself (such as a configuration file being created).
 */
final class CliLogging {

    private CliLogging() {
    }

    static void install(PrintStream err) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        Logger.getLogger("dev.mbus").setLevel(Level.INFO);
        root.addHandler(new Handler() {
            private final Formatter formatter = new OneLine();

            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    err.println(formatter.format(record));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        });
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error: "
                    : record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning: " : "";
            String message = formatMessage(record);
            if (record.getThrown() != null) {
                message += ": " + record.getThrown();
            }
            return "mbus: " + level + MbusCommand.oneLine(message);
        }
    }
}
