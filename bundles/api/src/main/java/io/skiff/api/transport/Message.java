package io.skiff.api.transport;

/** A message received from the cluster: a typed JSON body with a version. */
public interface Message {

    /** @return message version; see {@code Skiff.MESSAGE_VERSION} */
    int version();

    /** @return the message type, e.g. {@code cell.report} */
    String type();

    /** @return the sending node's name */
    String from();

    /**
     * @param cls the record type to map the body to
     * @return the body as {@code cls}
     */
    <T> T body(Class<T> cls);
}
