package dev.mbus.sample.bridge;

/** A Kafka record of the bridge's topic that does not hold a bridged command; it is dropped and counted. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
