package io.skiff.api.service;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.TaskInfo;

/**
 * An upload that finished: the new catalogue entry and the task that received it (its progress followed the bytes).
 *
 * @param image the image as stored
 * @param task the finished task
 */
public record ImageUploadResult(DiskImage image, TaskInfo task) {
}
