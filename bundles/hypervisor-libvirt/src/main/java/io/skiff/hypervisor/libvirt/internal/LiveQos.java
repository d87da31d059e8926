package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.model.Qos;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.SchedLongParameter;
import org.libvirt.SchedParameter;
import org.libvirt.SchedUlongParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A running domain's QoS changed in place: CPU through scheduler parameters (libvirt-java), disk I/O limits and
 * interface bandwidth through {@code virDomainSetBlockIoTune} and {@code virDomainSetInterfaceParameters}
 * ({@link DomainTuning}), each on the running domain and in its definition. What could not be applied live is
 * reported as {@code "next start: ..."} (the definition the Core wrote carries it); one part failing does not stop
 * the others.
 */
final class LiveQos {

    private static final Logger LOG = LoggerFactory.getLogger(LiveQos.class);
    private static final String NO_NATIVE_HANDLE = "this libvirt connection gives no native handle";

    private final OwnedDomains domains;

    LiveQos(OwnedDomains domains) {
        this.domains = domains;
    }

    /** @return one line per part: what is applied now, or {@code "next start: ..."} and why not now */
    List<String> apply(String instanceId, Qos qos) {
        Qos q = qos == null ? Qos.DEFAULT : qos;
        String name = DomainXml.domainName(instanceId);
        List<String> done = domains.withOwned(instanceId, "applying QoS to domain " + name, (c, d) -> {
            if (d.isActive() != 1) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            try {
                lines.add(applyCpu(d, q));
            } catch (LibvirtException e) {
                // e.g. a driver without cgroup shares: the rest can still go live
                LOG.warn("Instance {}: cpu priority not applied live: {}", instanceId, e.getMessage());
                lines.add("next start: cpu priority (not applied live: " + e.getMessage() + ")");
            }
            String xml = d.getXMLDesc(0);
            DomainDescription description = DomainDescription.parse(xml);
            NativeConnect nc = c instanceof NativeConnect n ? n : null;
            List<String> disks = DomainDescription.limitableDisks(xml);
            if (!disks.isEmpty()) {
                String failure = nc == null ? NO_NATIVE_HANDLE : null;
                for (int i = 0; failure == null && i < disks.size(); i++) {
                    try {
                        DomainTuning.setBlockIoTune(nc, description.uuid(), disks.get(i),
                                limit(q.diskReadBytesPerSecond()), limit(q.diskWriteBytesPerSecond()),
                                limit(q.diskReadIops()), limit(q.diskWriteIops()));
                    } catch (DomainTuning.TuningException | RuntimeException e) {
                        failure = e.getMessage();
                    }
                }
                if (failure == null) {
                    lines.add("disk limits on " + String.join(", ", disks));
                } else {
                    LOG.warn("Instance {}: disk limits not applied live: {}", instanceId, failure);
                    lines.add("next start: disk limits (not applied live: " + failure + ")");
                }
            }
            List<String> nics = description.macs();
            if (nics.isEmpty()) {
                if (q.limitsNetwork()) {
                    // nothing to shape now; every interface the definition gets later carries <bandwidth>
                    lines.add("next start: network limits (the instance has no network interface now; each one it "
                            + "gets has them)");
                }
            } else {
                String failure = nc == null ? NO_NATIVE_HANDLE : null;
                for (int i = 0; failure == null && i < nics.size(); i++) {
                    try {
                        DomainTuning.setInterfaceBandwidth(nc, description.uuid(), nics.get(i),
                                limit(q.netRxKiBPerSecond()), limit(q.netTxKiBPerSecond()));
                    } catch (DomainTuning.TuningException | RuntimeException e) {
                        failure = e.getMessage();
                    }
                }
                if (failure == null) {
                    lines.add("network limits on " + String.join(", ", description.interfaceTargets().isEmpty()
                            ? nics : description.interfaceTargets()));
                } else {
                    LOG.warn("Instance {}: network limits not applied live: {}", instanceId, failure);
                    lines.add("next start: network limits (not applied live: " + failure + ")");
                }
            }
            return lines;
        });
        LOG.info("Instance {}: QoS applied live: {}", instanceId, done);
        return done;
    }

    /** CPU shares, period and quota through libvirt-java's scheduler parameters. */
    static String applyCpu(Domain d, Qos q) throws LibvirtException {
        SchedUlongParameter shares = new SchedUlongParameter(Qos.cpuShares(q.cpuPriority()));
        shares.field = "cpu_shares";
        long quotaMicros = Qos.cpuQuotaMicros(q.cpuPriority());
        SchedUlongParameter period = new SchedUlongParameter(Qos.CPU_PERIOD_MICROS);
        period.field = "vcpu_period";
        SchedLongParameter quota = new SchedLongParameter(quotaMicros);
        quota.field = "vcpu_quota";
        // one parameter per call: libvirt-java 0.5.2 builds a non-contiguous array JNA cannot pass for several
        d.setSchedulerParameters(new SchedParameter[] {shares});
        d.setSchedulerParameters(new SchedParameter[] {period});
        d.setSchedulerParameters(new SchedParameter[] {quota});
        return "cpu priority " + q.cpuPriority() + " (shares " + shares.value + ", quota "
                + (quotaMicros > 0 ? quotaMicros + " us per " + period.value + " us" : "unlimited") + ")";
    }

    /** @return the value libvirt takes for a limit: 0 for none */
    static long limit(Long value) {
        return value == null || value < 0 ? 0 : value;
    }
}
