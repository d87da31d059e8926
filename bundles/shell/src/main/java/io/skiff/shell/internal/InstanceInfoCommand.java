package io.skiff.shell.internal;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-info", description = "Shows an instance with its live figures")
@RequiresPermission("instance.read")
public class InstanceInfoCommand extends InstanceAction {

    @Reference(optional = true)
    private io.skiff.api.service.MediaService media;

    @Override
    protected Object run() {
        InstanceStatus i = visibleInstance();
        System.out.println("Name     : " + i.spec().name() + " (" + i.id() + ")");
        System.out.println("State    : " + i.state().name().toLowerCase()
                + (i.lastError() == null ? "" : " — " + i.lastError()));
        System.out.println("Placed   : pool " + i.spec().poolId() + ", cell " + i.cellId());
        System.out.println("Labels   : " + labelText(i.spec().labels()));
        System.out.println("Address  : " + (i.address() == null ? "-" : i.address()));
        System.out.println("Size     : " + i.spec().cores() + " cores, " + bytes(i.spec().memoryBytes())
                + ", profile " + i.spec().profile());
        int n = 0;
        for (DiskSpec d : i.spec().disks()) {
            System.out.println("Disk " + n++ + "   : " + bytes(d.sizeBytes()) + (d.imageId() == null ? "" : " from image "
                    + d.imageId()));
        }
        System.out.println("Media    : " + mediaName(i.spec().media()) + ", boots from "
                + (i.spec().bootFrom() == null ? "disk" : i.spec().bootFrom()));
        if (i.stats() != null) {
            System.out.printf("Live     : CPU %.1f%%, memory %s, disk r/w %s/%s, net rx/tx %s/%s%n",
                    i.stats().cpuPercent(), bytes(i.stats().memoryUsedBytes()), bytes(i.stats().diskReadBytes()),
                    bytes(i.stats().diskWriteBytes()), bytes(i.stats().netRxBytes()), bytes(i.stats().netTxBytes()));
        }
        System.out.println("Created  : " + i.createdAt() + " by " + i.owner());
        return null;
    }

    /** @return the medium's name and id, or {@code (empty drive)} */
    private String mediaName(String id) {
        if (id == null) {
            return "(empty drive)";
        }
        try {
            return media == null ? id : media.get(id).name() + " (" + id + ")";
        } catch (RuntimeException e) {
            return id;
        }
    }
}
