package io.skiff.api.cell;

/**
 * Request of {@link CellProtocol#CHANGE_MEDIA}: what the instance's media CD-ROM drive should hold.
 *
 * @param instanceId instance id
 * @param media the ISO to insert (replacing what the drive holds), or {@code null} to eject
 */
public record MediaChange(String instanceId, ImageSource media) {
}
