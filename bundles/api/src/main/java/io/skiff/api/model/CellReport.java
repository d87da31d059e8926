package io.skiff.api.model;

/**
 * What a cell publishes to the domain every two seconds (message type {@link #TYPE}).
 *
 * @param node the cell's node name
 * @param hostname the host's name
 * @param skiffVersion the Skiff version the cell runs
 * @param resources its measured resources
 */
public record CellReport(String node, String hostname, String skiffVersion, CellResources resources) {
    /** Message type of cell reports. */
    public static final String TYPE = "cell.report";
}
