package io.skiff.api.cell;

import io.skiff.api.model.Qos;

/**
 * Apply a QoS to a running instance ({@link CellProtocol#QOS_APPLY}).
 *
 * @param instanceId instance id
 * @param qos the QoS to apply
 */
public record QosRequest(String instanceId, Qos qos) {
}
