package io.skiff.api.spi;

/**
 * Where the graphical console (VNC server) of a running instance can be reached, as its cell reports it.
 *
 * @param instanceId the instance
 * @param host host or address of the VNC server (the cell's console listen address)
 * @param port TCP port of the VNC server
 * @param password the VNC password, {@code null} when the domain has none; never sent to browsers by the proxy
 */
public record ConsoleEndpoint(String instanceId, String host, int port, String password) {

    @Override
    public String toString() {
        return "ConsoleEndpoint[instanceId=" + instanceId + ", host=" + host + ", port=" + port + ", password="
                + (password == null ? "none" : "***") + "]";
    }
}
