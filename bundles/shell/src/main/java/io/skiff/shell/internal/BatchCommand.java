package io.skiff.shell.internal;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.StepInfo;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.BatchService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskEngine;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

@Service
@Command(scope = "skiff", name = "batch",
        description = "Creates N instances from one spec (create PATTERN), or stops/deletes a list (stop|delete NAMES...)")
@RequiresPermission("instance.write")
public class BatchCommand extends SkiffAction {

    @Reference
    private BatchService batches;

    @Reference
    private TaskEngine engine;

    @Argument(index = 0, name = "action", description = "create, stop or delete", required = true)
    private String action;

    @Argument(index = 1, name = "targets", description = "create: the name pattern (e.g. web-{nn}); "
            + "stop/delete: instance names", required = true, multiValued = true)
    private List<String> targets;

    @Option(name = "-n", aliases = "--count", description = "How many to create")
    private int count = 1;

    @Option(name = "-p", aliases = "--pool", description = "Compute pool (create)")
    private String pool;

    @Option(name = "-i", aliases = "--image", description = "Image for the system disk (create)")
    private String image;

    @Option(name = "-c", aliases = "--cores", description = "Virtual CPUs (default: the Core's setting defaultCores)")
    private Integer cores;

    @Option(name = "-m", aliases = "--memory",
            description = "Memory in MiB (default: the Core's setting defaultMemoryMib)")
    private Long memoryMib;

    @Option(name = "-f", aliases = "--force", description = "Forced stop; delete running instances")
    private boolean force;

    @Option(name = "-w", aliases = "--wait", description = "Wait and print every item's outcome")
    private boolean await;

    @Override
    protected Object run() throws Exception {
        TaskInfo task = switch (action) {
            case "create" -> batches.createBatch(new InstanceSpec("batch", pool, null, cores, mebibytes(memoryMib),
                    image == null ? List.of(new DiskSpec(1L << 30, null, null)) : List.of(new DiskSpec(0, null, image)),
                    null, null, false), targets.get(0), count, caller());
            case "stop" -> batches.stopBatch(targets, force, caller());
            case "delete" -> batches.deleteBatch(targets, force, caller());
            default -> throw SkiffException.invalid("action", "action must be create, stop or delete");
        };
        System.out.println("Batch " + task.name() + ": task " + task.id() + " queued");
        if (await) {
            TaskInfo done = engine.completion(task.id()).get(30, TimeUnit.MINUTES);
            List<String> lines = new ArrayList<>();
            for (StepInfo s : done.steps()) {
                if (s.data().containsKey("item")) {
                    lines.add(String.format("  %-24s %-9s %s ", s.data().get("item"), s.data().get("outcome"),
                            s.data().getOrDefault("error", "")));
                }
            }
            lines.forEach(System.out::println);
            long failed = lines.stream().filter(l -> l.contains(" FAILED ")).count();
            System.out.println((lines.size() - failed) + " of " + lines.size() + " succeeded"
                    + (failed > 0 ? ", " + failed + " failed (each rolled back)" : ""));
        }
        return null;
    }
}
