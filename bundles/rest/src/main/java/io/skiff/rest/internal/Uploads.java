package io.skiff.rest.internal;

import io.skiff.api.service.SkiffException;

/** Helpers shared by the streamed uploads of {@code /images} and {@code /media}. */
final class Uploads {
    /** Response header naming the upload's task. */
    static final String TASK_HEADER = "X-Skiff-Task";

    private Uploads() {
    }

    /**
     * @return the size the uploader announced: {@code sizeBytes} when given (it must agree with Content-Length when
     *     both are), else Content-Length, else -1 (chunked, unknown)
     */
    static long size(Long sizeBytes, Long contentLength) {
        if (sizeBytes != null) {
            if (sizeBytes <= 0) {
                throw SkiffException.invalid("sizeBytes", "sizeBytes must be positive");
            }
            return sizeBytes;
        }
        return contentLength != null && contentLength > 0 ? contentLength : -1;
    }
}
