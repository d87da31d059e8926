package io.skiff.api.spi;

import java.util.List;

/** Snapshots of an instance's disks. */
public interface SnapshotProvider {

    void create(String instanceId, String snapshotName);

    void revert(String instanceId, String snapshotName);

    void delete(String instanceId, String snapshotName);

    List<String> list(String instanceId);
}
