package io.skiff.cell.internal;

import io.skiff.api.cell.CellInstanceSpec;

import java.util.List;

/**
 * What a cell keeps about one of its instances in its own JSON file: the spec the Core sent, the volumes
 * made for it and the console log path. With libvirt's definition it is the second of the three copies.
 *
 * @param spec the instance as the Core asked for it
 * @param volumes volume paths, system disk first
 * @param volumePools the storage pool of each volume
 * @param consoleLog path of the serial console log
 * @param defined whether its domain has been defined: until then a missing domain is not "lost", the
 *     instance is being created
 * @param consolePassword the instance's random VNC password (made when its domain is first defined), or
 *     {@code null} before that
 * @param mac the MAC address of its network interface (generated once, unique on the cell), or {@code null}
 */
public record CellInstanceFile(CellInstanceSpec spec, List<String> volumes, List<String> volumePools,
                               String consoleLog, boolean defined, String consolePassword, String mac) {

    public CellInstanceFile(CellInstanceSpec spec, List<String> volumes, List<String> volumePools,
                            String consoleLog, boolean defined) {
        this(spec, volumes, volumePools, consoleLog, defined, null, null);
    }

    /** An instance without a network interface (yet). */
    public CellInstanceFile(CellInstanceSpec spec, List<String> volumes, List<String> volumePools,
                            String consoleLog, boolean defined, String consolePassword) {
        this(spec, volumes, volumePools, consoleLog, defined, consolePassword, null);
    }

    /** @return this file with a VNC password, a new random one when it has none yet */
    CellInstanceFile withConsolePassword() {
        return consolePassword != null ? this
                : new CellInstanceFile(spec, volumes, volumePools, consoleLog, defined, ConsolePasswords.random(), mac);
    }

    /** @return this file with its domain marked defined or not */
    CellInstanceFile withDefined(boolean isDefined) {
        return new CellInstanceFile(spec, volumes, volumePools, consoleLog, isDefined, consolePassword, mac);
    }

    /** @return this file with another spec (same volumes, definition state, password and MAC) */
    CellInstanceFile withSpec(CellInstanceSpec newSpec) {
        return new CellInstanceFile(newSpec, volumes, volumePools, consoleLog, defined, consolePassword, mac);
    }

    /** @return this file with other disks, their volumes and pools (everything else kept) */
    CellInstanceFile withDisks(List<io.skiff.api.cell.CellDisk> disks, List<String> newVolumes,
                               List<String> newPools) {
        return new CellInstanceFile(spec.withDisks(disks), List.copyOf(newVolumes), List.copyOf(newPools), consoleLog,
                defined, consolePassword, mac);
    }

    @Override
    public String toString() {
        return "CellInstanceFile[spec=" + spec + ", volumes=" + volumes + ", defined=" + defined + ", mac=" + mac + "]";
    }
}
