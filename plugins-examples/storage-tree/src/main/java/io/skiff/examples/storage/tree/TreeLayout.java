package io.skiff.examples.storage.tree;

import io.skiff.api.service.SkiffException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Where a volume lives: {@code <root>/<pool>/<shard>/<volume>/disk.qcow2}, the shard being two hex digits of the
 * name's CRC-32, so no directory holds more than a few hundred entries even with tens of thousands of volumes.
 */
final class TreeLayout {
    static final String DISK = "disk.qcow2";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Path root;

    TreeLayout(Path root) {
        this.root = root;
    }

    Path pool(String pool) {
        return root.resolve(check("pool", pool));
    }

    Path volumeDir(String pool, String name) {
        return pool(pool).resolve(shard(check("name", name))).resolve(name);
    }

    Path disk(String pool, String name) {
        return volumeDir(pool, name).resolve(DISK);
    }

    static String shard(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return String.format("%02x", crc.getValue() & 0xff);
    }

    static String check(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw SkiffException.invalid(field, field + " '" + value + "' may contain only letters, digits, '.', '-'"
                    + " and '_' and must start with a letter or digit");
        }
        return value;
    }
}
