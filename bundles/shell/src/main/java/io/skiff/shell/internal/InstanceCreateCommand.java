package io.skiff.shell.internal;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.ArrayList;
import java.util.List;

@Service
@Command(scope = "skiff", name = "instance-create", description = "Creates and starts an instance")
@RequiresPermission("instance.write")
public class InstanceCreateCommand extends SkiffAction {

    @Reference
    private io.skiff.api.service.ImageService imageService;

    @Reference
    private InstanceService instances;

    @Reference
    private TaskEngine engine;

    @Option(name = "-p", aliases = "--pool", description = "Compute pool", required = true)
    @Completion(PoolNameCompleter.class)
    private String pool;

    @Option(name = "-c", aliases = "--cores", description = "Virtual CPUs (default: the Core's setting defaultCores)")
    private Integer cores;

    @Option(name = "-m", aliases = "--memory",
            description = "Memory in MiB (default: the Core's setting defaultMemoryMib)")
    private Long memoryMib;

    @Option(name = "-i", aliases = "--image", description = "Image for the system disk")
    @Completion(ImageNameCompleter.class)
    private String image;

    @Option(name = "--clone-mode", description = "With --image: linked (qcow2 overlay, default) or full (copy)")
    private String cloneMode;

    @Option(name = "-d", aliases = "--disk", description = "Disk size in GiB (system disk, then data disks)",
            multiValued = true)
    private List<Long> disksGib;

    @Option(name = "--profile", description = "Guest-OS device profile (default linux-virtio)")
    private String profile;

    @Option(name = "--cell", description = "Place on this cell instead of letting the scheduler choose")
    @Completion(CellIdCompleter.class)
    private String cell;

    @Option(name = "--address-pool", description = "Address pool (default: the compute pool's)")
    @Completion(AddressPoolNameCompleter.class)
    private String addressPool;

    @Option(name = "--address", description = "A specific address of the address pool")
    private String address;

    @Option(name = "--media", description = "ISO medium (name or id) in the instance's CD-ROM drive")
    private String media;

    @Option(name = "--boot-from", description = "disk (default) or cdrom: the CD-ROM drive first, then the system disk")
    private String bootFrom;

    @Reference
    private io.skiff.api.service.MediaService mediaService;

    @Option(name = "--restart-policy", description = "never (default), on-failure or always: what the instance's cell"
            + " does when its guest stops without being asked to")
    @Completion(value = StringsCompleter.class, values = {"never", "on-failure", "always"})
    private String restartPolicy;

    @Option(name = "-l", aliases = "--label", description = "A label, key=value (repeat for more)",
            multiValued = true)
    private List<String> labels;

    @Option(name = "--autostart", description = "Start the instance with its host")
    private boolean autoStart;

    @Option(name = "-w", aliases = "--wait", description = "Wait for the task and print its progress")
    private boolean await;

    @Argument(index = 0, name = "name", description = "Instance name", required = true)
    private String name;

    @Override
    protected Object run() throws Exception {
        List<DiskSpec> disks = new ArrayList<>();
        List<Long> sizes = disksGib == null ? List.of() : disksGib;
        if (image != null) {
            imageService.get(image, caller()); // an image the caller may not see is "not found" (field image)
            disks.add(new DiskSpec(sizes.isEmpty() ? 0 : sizes.get(0) << 30, null, image, cloneMode));
        }
        for (int i = image != null ? 1 : 0; i < sizes.size(); i++) {
            disks.add(new DiskSpec(sizes.get(i) << 30, null, null));
        }
        String mediaId = null;
        if (media != null) {
            mediaId = mediaService.get(media, caller()).id();
        }
        // what is not given is left out: the Core fills in its defaults
        TaskInfo task = instances.create(new InstanceSpec(name, pool, cell, cores, mebibytes(memoryMib), disks,
                profile, addressPool, autoStart, address).withMedia(mediaId).withBootFrom(bootFrom)
                .withRestartPolicy(restartPolicy).withLabels(labelPairs("labels", labels)), caller());
        System.out.println("Instance " + name + ": task " + task.id() + " queued");
        if (await) {
            TaskWaiter.follow(engine, task, System.out, 600);
            System.out.println("Instance " + name + " is "
                    + instances.get(name, caller()).state().name().toLowerCase());
        }
        return null;
    }
}
