package io.skiff.shell.internal;

import io.skiff.api.model.Quota;

/** Builds a quota from the shell's {@code --max-*} options: unset options keep the old limit, 0 or more sets it, -1 removes it. */
final class QuotaOptions {
    private QuotaOptions() {
    }

    static Quota merge(Quota old, Integer instances, Integer cores, Long memoryMiB, Long diskGiB) {
        Quota o = old == null ? Quota.UNLIMITED : old;
        return new Quota(pick(o.instances(), instances), pick(o.cores(), cores), pick(o.memoryMiB(), memoryMiB),
                pick(o.diskGiB(), diskGiB));
    }

    private static <T extends Number> T pick(T old, T given) {
        if (given == null) {
            return old;
        }
        return given.longValue() < 0 ? null : given;
    }

    static String format(Quota q) {
        if (q == null || q.unlimited()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        if (q.instances() != null) {
            b.append(q.instances()).append(" inst ");
        }
        if (q.cores() != null) {
            b.append(q.cores()).append(" cores ");
        }
        if (q.memoryMiB() != null) {
            b.append(q.memoryMiB()).append(" MiB ");
        }
        if (q.diskGiB() != null) {
            b.append(q.diskGiB()).append(" GiB");
        }
        return b.toString().trim();
    }
}
