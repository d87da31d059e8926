package io.skiff.api.spi;

/**
 * Where a console of an instance can be reached.
 *
 * @param host host of the VNC server
 * @param port port of the VNC server
 * @param password the VNC password (never sent to browsers)
 */
public record ConsoleEndpoint(String host, int port, String password) {
}
