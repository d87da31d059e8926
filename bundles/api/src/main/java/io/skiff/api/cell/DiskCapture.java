package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#CAPTURE_DISK}: copy a stopped instance's disk into a standalone qcow2 (backing
 * chain flattened) and upload it to the Core.
 *
 * @param instanceId instance id
 * @param disk index of the disk (0 = system disk)
 * @param url where to {@code PUT} the file
 * @param token one-time bearer token for that upload
 */
public record DiskCapture(String instanceId, int disk, String url, String token) {
}
