package io.skiff.api.service;

import io.skiff.api.model.MediaImage;
import io.skiff.api.model.TaskInfo;

/**
 * A medium upload that finished.
 *
 * @param medium the ISO medium as stored
 * @param task the finished task whose progress followed the bytes
 */
public record MediaUploadResult(MediaImage medium, TaskInfo task) {
}
