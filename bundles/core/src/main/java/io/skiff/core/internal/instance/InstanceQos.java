package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.QosApplied;
import io.skiff.api.cell.QosRequest;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.Qos;
import io.skiff.api.model.QosChange;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.QosService;
import io.skiff.api.service.SkiffException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * An instance's QoS: checked ({@link Qoses}), written into the cell's definition and the record (so every later start
 * has it), and applied to a running guest where the hypervisor can; the answer says what waits for the next start.
 */
final class InstanceQos implements QosService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceQos.class);

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    InstanceQos(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceSettings settings,
                CellSpecs specs) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.settings = settings;
        this.specs = specs;
    }

    @Override
    public QosChange setQos(String idOrName, Qos requested, AuthenticatedUser caller) {
        access.require(idOrName, caller); // an instance the caller may not see is not found, whatever it asks
        if (requested == null) {
            throw SkiffException.invalid("qos", "a QoS is required");
        }
        Qos qos = Qoses.validate(requested);
        return settings.scheduler().locked(() -> {
            InstanceRecord r = access.settled(idOrName, caller);
            InstanceSpec updated = r.spec().withQos(qos);
            // the definition carries it for every later start
            settings.calls().domains(r.cellId()).define(specs.of(r.id(), updated));
            records.saveSpec(r, updated);
            List<String> applied = List.of();
            List<String> nextStart = List.of("cpu priority " + qos.cpuPriority(), "disk limits", "network limits");
            if (reports.state(r) == InstanceState.RUNNING) {
                QosApplied live = settings.calls().domains(r.cellId()).applyQos(new QosRequest(r.id(), qos));
                applied = live.applied();
                nextStart = live.nextStart();
            }
            LOG.info("instance {} ({}) QoS changed: {}; live: {}; at next start: {}", r.spec().name(), r.id(), qos,
                    applied, nextStart);
            return new QosChange(r.id(), qos, !applied.isEmpty() && nextStart.isEmpty(), applied, nextStart);
        });
    }
}
