package io.skiff.api.transport;

/** Handles messages of one type. */
@FunctionalInterface
public interface MessageHandler {

    /**
     * @param message the message
     * @return the reply body for a request (mapped to JSON), or {@code null} for events
     * @throws Exception to answer a request with an error
     */
    Object handle(Message message) throws Exception;
}
