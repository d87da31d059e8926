package io.skiff.cell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff cell", description = "The Cell agent of this host")
public @interface CellAgentConfig {

    @AttributeDefinition(description = "How often the cell reports its resources to the Core (milliseconds)")
    int reportIntervalMillis() default 2000;

    @AttributeDefinition(description = "Directory for the cell's own files; empty means <karaf.data>/skiff/cell")
    String dataDir() default "";
}
