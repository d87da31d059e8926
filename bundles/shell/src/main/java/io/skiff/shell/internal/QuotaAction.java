package io.skiff.shell.internal;

import io.skiff.api.model.Quota;
import org.apache.karaf.shell.api.action.Option;

/** Base of the commands that set a user's or a group's quota with the {@code --max-*} options. */
abstract class QuotaAction extends SkiffAction {

    @Option(name = "--max-instances", description = "Quota: instances")
    private Integer maxInstances;

    @Option(name = "--max-cores", description = "Quota: cores")
    private Integer maxCores;

    @Option(name = "--max-memory", description = "Quota: memory in MiB")
    private Long maxMemory;

    @Option(name = "--max-disk", description = "Quota: disk in GiB")
    private Long maxDisk;

    /** @return {@code old} ({@code null}: none) changed by the options given, as {@link QuotaOptions#merge} says */
    protected Quota quota(Quota old) {
        return QuotaOptions.merge(old, maxInstances, maxCores, maxMemory, maxDisk);
    }
}
