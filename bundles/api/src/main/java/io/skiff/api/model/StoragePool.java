package io.skiff.api.model;

import java.util.Map;

/**
 * A place to keep volumes, served by the {@code StorageBackend} named by {@code provider}.
 *
 * @param id unique id
 * @param name unique name
 * @param provider the {@code skiff.provider} of the backend, e.g. {@code local} or {@code nfs}
 * @param settings backend settings (path, server, export, ...)
 * @param capacityBytes total capacity as last reported
 * @param freeBytes free space as last reported
 */
public record StoragePool(String id, String name, String provider, Map<String, String> settings,
                          long capacityBytes, long freeBytes) {
}
