package io.skiff.core.internal.instance;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The instance settings ({@code etc/io.skiff.core.instances.cfg}). The test-only fault injection reads two more
 * properties of the same configuration, on purpose not described here: see {@link FaultInjection}.
 */
@ObjectClassDefinition(name = "Skiff instances and scheduler", description = "Placement, instance operations and the defaults of a create")
public @interface SchedulerConfig {

    @AttributeDefinition(description = "Virtual CPUs placed per physical CPU of a cell")
    double cpuOvercommit() default 4.0;

    @AttributeDefinition(description = "Guest memory placed per byte of a cell's physical memory")
    double memoryOvercommit() default 1.0;

    @AttributeDefinition(description = "Placement policy (skiff.provider of a PlacementPolicy service)")
    String placementPolicy() default "least-loaded";

    @AttributeDefinition(description = "Address pool provider (skiff.provider of an AddressPoolProvider service); "
            + "while none of that name is registered, instances get no address and address pool operations are "
            + "unavailable")
    String addressPoolProvider() default InstanceProviders.DEFAULT_ADDRESS_POOL_PROVIDER;

    @AttributeDefinition(description = "Seconds a graceful stop may take before the instance is forced off")
    int stopTimeoutSeconds() default 60;

    @AttributeDefinition(description = "Seconds to wait for a cell to answer a request")
    int cellTimeoutSeconds() default 300;

    @AttributeDefinition(description = "Requests of tasks that may be at work on one cell at a time; further ones wait "
            + "in the Core, in order, without holding a thread")
    int cellRequestWindow() default CellCalls.DEFAULT_WINDOW;

    @AttributeDefinition(description = "Seconds a cell must keep reporting something of a removed instance (no record, "
            + "no unfinished task) before the Core removes it from the cell")
    int orphanGraceSeconds() default 30;

    @AttributeDefinition(description = "How many items of one batch run at once (each item is its own task)")
    int batchParallelism() default 2;

    @AttributeDefinition(description = "Virtual CPUs of an instance whose create names none (1 to 512)")
    int defaultCores() default InstanceRequests.DEFAULT_CORES;

    @AttributeDefinition(description = "Memory in MiB of an instance whose create names none (16 MiB to 4 TiB)")
    long defaultMemoryMib() default InstanceRequests.DEFAULT_MEMORY_MIB;

    @AttributeDefinition(description = "Seconds a live migration may take before it is given up (and rolled back)")
    int migrationTimeoutSeconds() default 600;

    @AttributeDefinition(description = "Live migration over the hypervisor's migration TLS (certificates of the"
            + " cluster CA on both cells): prefer (when both cells are ready), require (refuse a migration when a cell"
            + " is not ready) or off")
    String migrationTls() default "prefer";

    @AttributeDefinition(description = "Failover pools: a cell that has not seen the Core for this many seconds "
            + "destroys its instances of failover pools (self-fencing); the cells are told with each instance")
    int isolationSeconds() default 5;

    @AttributeDefinition(description = "Failover pools: the Core starts a lost cell's instances elsewhere this many "
            + "seconds after isolationSeconds have passed since it noticed the loss (or last heard the cell)")
    int failoverMarginSeconds() default 3;
}
