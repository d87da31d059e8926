package io.skiff.rest.internal;

/**
 * Answer of {@code GET /instances/{id}/vnc}: how a third-party VNC client reaches the instance's console.
 *
 * @param host the VNC server's address (the cell's console listen address)
 * @param port its TCP port
 * @param password the instance's VNC password
 * @param display {@code host::port}, as most VNC viewers take it
 */
public record VncAccess(String host, int port, String password, String display) {

    @Override
    public String toString() {
        return "VncAccess[host=" + host + ", port=" + port + ", password=***]";
    }
}
