package io.skiff.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff cell registry", description = "How the Core tracks the liveness of cells")
public @interface CellRegistryConfig {

    @AttributeDefinition(description = "A cell whose last report is older than this is marked offline (seconds)")
    int offlineAfterSeconds() default 6;

    @AttributeDefinition(description = "How often liveness is checked (milliseconds)")
    int checkIntervalMillis() default 1000;
}
