package io.skiff.api.model;

/** Whether the Core currently hears a cell's resource reports, and may place instances on it. */
public enum CellStatus {
    /** Its reports arrive: the placement may choose it. */
    ONLINE,
    /** Silent, or gone from the cluster view. */
    OFFLINE,
    /**
     * A second member of the domain joined under this cell's node name and is refused (its messages are dropped);
     * the cell keeps serving its instances, but the placement skips it until one of the two leaves or is renamed.
     * Since model 2.1.
     */
    DUPLICATE_NAME
}
