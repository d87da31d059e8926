package io.skiff.console.vnc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff VNC console", description = "One-time console tokens and the WebSocket proxy")
public @interface VncConsoleConfig {

    @AttributeDefinition(description = "How long a console token stays valid after it is issued (seconds)")
    int tokenTtlSeconds() default 15;

    @AttributeDefinition(description = "Time-out for connecting to and logging in to an instance's VNC server (seconds)")
    int connectTimeoutSeconds() default 10;
}
