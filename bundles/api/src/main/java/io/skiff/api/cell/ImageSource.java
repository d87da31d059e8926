package io.skiff.api.cell;

/**
 * Where a cell fetches a disk image: an HTTP stream from the Core, with a one-time token.
 *
 * @param id image id (the cell caches images by id)
 * @param url URL of the image content
 * @param token one-time token to present as {@code Authorization: Bearer}
 * @param sha256 checksum the download must match
 * @param format image format, e.g. {@code qcow2}
 */
public record ImageSource(String id, String url, String token, String sha256, String format) {
}
