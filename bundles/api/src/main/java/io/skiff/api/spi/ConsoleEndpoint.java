package io.skiff.api.spi;

/**
 * Where the graphical console (VNC server) of a running instance can be reached, as its cell reports it.
 *
 * @param host host or address of the VNC server (the cell's console listen address)
 * @param port TCP port of the VNC server
 * @param password the VNC password, {@code null} when the domain has none; never sent to browsers by the proxy
 * @param instanceId the instance, or {@code null} when not known
 */
public record ConsoleEndpoint(String host, int port, String password, String instanceId) {

    public ConsoleEndpoint(String host, int port, String password) {
        this(host, port, password, null);
    }

    @Override
    public String toString() {
        return "ConsoleEndpoint[host=" + host + ", port=" + port + ", password="
                + (password == null ? "none" : "***") + ", instanceId=" + instanceId + "]";
    }
}
