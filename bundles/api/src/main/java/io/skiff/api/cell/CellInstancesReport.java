package io.skiff.api.cell;

import java.util.List;

/**
 * Every Skiff instance a cell knows, with its state: the truth the Core reconciles with.
 *
 * @param node the cell
 * @param instances its instances
 */
public record CellInstancesReport(String node, List<CellInstanceState> instances) {
}
