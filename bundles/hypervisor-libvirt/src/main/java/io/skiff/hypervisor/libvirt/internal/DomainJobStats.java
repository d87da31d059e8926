package io.skiff.hypervisor.libvirt.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of a domain's last completed job (a migration's downtime), through {@code virDomainGetJobStats} with
 * {@code VIR_DOMAIN_JOB_STATS_COMPLETED}, which libvirt-java 0.5.2 does not map: called through JNA on the same
 * {@code libvirt.so}, like {@link DomainTuning}.
 */
final class DomainJobStats {
    /** {@code VIR_DOMAIN_JOB_STATS_COMPLETED} */
    private static final int COMPLETED = 1;

    /** The functions, declared against libvirt itself. */
    interface Functions extends Library {
        int virDomainGetJobStats(DomainPointer domain, IntByReference type, PointerByReference params,
                                 IntByReference nparams, int flags);

        int virTypedParamsGetULLong(Pointer params, int nparams, String name, LongByReference value);

        void virTypedParamsFree(Pointer params, int nparams);
    }

    /** Loaded on first use, so that a test driver never needs it. */
    private static final class Holder {
        static final Functions FUNCTIONS = Native.load("virt", Functions.class);
    }

    private DomainJobStats() {
    }

    /**
     * Reads fields of the domain's last completed job in one call (libvirt forgets the statistics once they are read).
     *
     * @return the value of each field (e.g. {@code downtime}, {@code data_processed}), {@code -1} for one libvirt
     *     does not tell
     */
    static Map<String, Long> completed(NativeConnect connect, String uuid, String... fields) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String f : fields) {
            values.put(f, -1L);
        }
        DomainPointer domain = Libvirt.INSTANCE.virDomainLookupByUUIDString(connect.pointer(), uuid);
        if (domain == null) {
            return values;
        }
        try {
            IntByReference type = new IntByReference();
            PointerByReference params = new PointerByReference();
            IntByReference count = new IntByReference();
            if (Holder.FUNCTIONS.virDomainGetJobStats(domain, type, params, count, COMPLETED) < 0) {
                return values;
            }
            try {
                for (String f : fields) {
                    LongByReference value = new LongByReference();
                    if (Holder.FUNCTIONS.virTypedParamsGetULLong(params.getValue(), count.getValue(), f, value) == 1) {
                        values.put(f, value.getValue());
                    }
                }
                return values;
            } finally {
                Holder.FUNCTIONS.virTypedParamsFree(params.getValue(), count.getValue());
            }
        } finally {
            Libvirt.INSTANCE.virDomainFree(domain);
        }
    }
}
