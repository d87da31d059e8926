package io.skiff.cell.internal;

import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.cell.QosApplied;
import io.skiff.api.cell.QosRequest;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.Hypervisor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests that act on a running guest without changing its definition: a QoS applied live (the definition takes it
 * at the next define) and a command to the QEMU guest agent inside it.
 */
final class RunningDomainRequests {
    private final CellInstanceStore files;
    private final CellProviders providers;

    RunningDomainRequests(CellInstanceStore files, CellProviders providers) {
        this.files = files;
        this.providers = providers;
    }

    /** @return what was applied now and what waits for the next start ({@code everything} when it does not run) */
    QosApplied applyQos(QosRequest request) throws IOException {
        files.require(request.instanceId());
        Hypervisor h = providers.hypervisor();
        if (h.state(request.instanceId()) != DomainState.RUNNING) {
            return new QosApplied(request.instanceId(), List.of(), List.of("everything"));
        }
        List<String> applied = new ArrayList<>();
        List<String> later = new ArrayList<>();
        for (String line : h.applyQosLive(request.instanceId(), request.qos())) {
            (line.startsWith("next start: ") ? later : applied).add(line.replaceFirst("^next start: ", ""));
        }
        return new QosApplied(request.instanceId(), applied, later);
    }

    GuestAgentReply guestAgent(GuestAgentRequest request) throws IOException {
        files.require(request.instanceId());
        String reply = providers.hypervisor().guestAgentCommand(request.instanceId(), request.command(),
                Math.max(1, request.timeoutSeconds()));
        return new GuestAgentReply(request.instanceId(), reply);
    }
}
