package io.skiff.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff operation log", description = "Durable log of who did what")
public @interface OperationLogConfig {

    @AttributeDefinition(description = "The log file (JSON lines); empty: <karaf.data>/skiff/operation-log.jsonl")
    String file() default "";

    @AttributeDefinition(description = "Entries older than this many days are removed (0: keep forever)")
    int retentionDays() default 90;

    @AttributeDefinition(description = "Most entries one query returns")
    int maxResults() default 1000;
}
