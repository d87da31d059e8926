package io.skiff.api.service;

import io.skiff.api.model.Qos;
import io.skiff.api.model.QosChange;

/** The quality of service of instances: CPU priority and disk and network limits. */
@org.osgi.annotation.versioning.ProviderType
public interface QosService {

    /**
     * Changes an instance's QoS: stored and written into its definition; applied to the running guest where the
     * hypervisor can, otherwise at its next start (the answer says which).
     *
     * @throws SkiffException {@code INVALID} naming the field ({@code qos.cpuPriority}, {@code qos.diskReadIops}...)
     *     when a value is out of range
     */
    QosChange setQos(String idOrName, Qos qos, AuthenticatedUser caller);
}
