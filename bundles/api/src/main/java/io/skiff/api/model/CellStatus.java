package io.skiff.api.model;

/** Whether the Core currently hears a cell's resource reports. */
public enum CellStatus {
    ONLINE, OFFLINE
}
