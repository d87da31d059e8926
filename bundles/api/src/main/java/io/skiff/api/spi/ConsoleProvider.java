package io.skiff.api.spi;

/** Graphical consoles of instances. */
public interface ConsoleProvider {

    ConsoleEndpoint endpoint(String instanceId);
}
