package io.skiff.api.service;

import java.util.List;

/**
 * What an uploader announces about the file it streams to the Core (a disk image or an ISO medium).
 *
 * @param name unique display name
 * @param tags search tags (disk images only; may be empty)
 * @param sizeBytes the file's exact size, or -1 when unknown; a shorter stream is a truncated upload
 * @param sha256 the file's SHA-256 in hex, or {@code null} to skip the check (the Core still computes it)
 * @param format {@code qcow2}, {@code raw} or {@code iso}, or {@code null} to accept what the file is
 */
public record UploadSpec(String name, List<String> tags, long sizeBytes, String sha256, String format) {
    public UploadSpec {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
