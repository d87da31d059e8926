package io.skiff.api;

/**
 * Constants that tie Skiff's bundles together: the service property that names a provider
 * implementation, and the version of the messages exchanged between nodes.
 */
public final class Skiff {
    /** Service property naming an SPI implementation, e.g. {@code local}, {@code nfs}, {@code linux-virtio}. */
    public static final String PROVIDER_PROPERTY = "skiff.provider";
    /** Version carried by every cluster message body; nodes accept this version and the one before. */
    public static final int MESSAGE_VERSION = 1;
    /** Default cluster domain name. */
    public static final String DEFAULT_DOMAIN = "skiff";

    private Skiff() {
    }
}
