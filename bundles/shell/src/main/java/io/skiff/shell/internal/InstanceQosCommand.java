package io.skiff.shell.internal;

import io.skiff.api.model.Qos;
import io.skiff.api.model.QosChange;
import io.skiff.api.service.QosService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "skiff", name = "instance-qos",
        description = "Sets an instance's CPU priority and disk/network limits (0 or absent = unlimited)")
@RequiresPermission("instance.write")
public class InstanceQosCommand extends InstanceAction {

    @Reference
    private QosService qos;

    @Option(name = "--cpu", description = "CPU priority: high, medium or low")
    private String cpu;

    @Option(name = "--read-iops", description = "Disk read operations per second")
    private Long readIops;

    @Option(name = "--write-iops", description = "Disk write operations per second")
    private Long writeIops;

    @Option(name = "--read-bps", description = "Disk read bytes per second")
    private Long readBps;

    @Option(name = "--write-bps", description = "Disk write bytes per second")
    private Long writeBps;

    @Option(name = "--rx-kibps", description = "Network receive KiB/s")
    private Long rx;

    @Option(name = "--tx-kibps", description = "Network send KiB/s")
    private Long tx;

    @Override
    protected Object run() {
        QosChange change = qos.setQos(name, new Qos(cpu, readIops, writeIops, readBps, writeBps, rx, tx), caller());
        Qos q = change.qos();
        System.out.println("Instance " + name + ": cpu " + q.cpuPriority() + ", disk read " + show(q.diskReadIops())
                + " IOPS / " + show(q.diskReadBytesPerSecond()) + " B/s, write " + show(q.diskWriteIops()) + " IOPS / "
                + show(q.diskWriteBytesPerSecond()) + " B/s, net rx " + show(q.netRxKiBPerSecond()) + " KiB/s, tx "
                + show(q.netTxKiBPerSecond()) + " KiB/s");
        change.applied().forEach(a -> System.out.println("  applied now   : " + a));
        change.nextStart().forEach(a -> System.out.println("  at next start : " + a));
        return null;
    }

    private static String show(Long v) {
        return v == null ? "unlimited" : v.toString();
    }
}
