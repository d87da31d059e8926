package io.skiff.hypervisor.libvirt.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virSchedParameter;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Disk I/O limits and interface bandwidth of a domain, live and in its definition, through the two libvirt calls
 * libvirt-java 0.5.2 does not map: {@code virDomainSetBlockIoTune} and {@code virDomainSetInterfaceParameters}.
 * They are called through JNA on the same {@code libvirt.so} libvirt-java loads, with libvirt-java's own
 * {@code virSchedParameter} as the {@code virTypedParameter} it is (same layout: an 80-byte name, a type, an 8-byte
 * value union). The domain pointer comes from {@code virDomainLookupByUUIDString} on the connection's native
 * pointer ({@link NativeConnect}), the way libvirt-java looks domains up, and is freed after the call.
 */
final class DomainTuning {

    /** {@code VIR_DOMAIN_AFFECT_LIVE}, {@code VIR_DOMAIN_AFFECT_CONFIG}: the running domain, its definition */
    static final int LIVE = 1;
    static final int CONFIG = 2;
    static final int LIVE_AND_CONFIG = LIVE | CONFIG;
    /** {@code VIR_TYPED_PARAM_UINT}, {@code VIR_TYPED_PARAM_ULLONG} */
    static final int TYPED_UINT = 2;
    static final int TYPED_ULLONG = 4;

    /** The two functions, declared against libvirt itself ({@code libvirt.so.0}, as libvirt-java loads it). */
    interface Functions extends Library {
        int virDomainSetBlockIoTune(DomainPointer domain, String disk, Pointer params, int nparams, int flags);

        int virDomainSetInterfaceParameters(DomainPointer domain, String device, Pointer params, int nparams,
                                            int flags);
    }

    /** Loaded on first use, so that a test driver never needs it. */
    private static final class Holder {
        static final Functions FUNCTIONS = Native.load("virt", Functions.class);
    }

    /** A libvirt call that failed, with libvirt's message. */
    static final class TuningException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        TuningException(String message, int code) {
            super(message);
            this.code = code;
        }

        /** @return libvirt's {@code virErrorNumber}, 0 when unknown */
        int code() {
            return code;
        }
    }

    private DomainTuning() {
    }

    /**
     * Sets {@code read_bytes_sec}, {@code write_bytes_sec}, {@code read_iops_sec} and {@code write_iops_sec} of
     * one disk (0 lifts a limit).
     */
    static void setBlockIoTune(NativeConnect connect, String uuid, String disk, long readBytes, long writeBytes,
                               long readIops, long writeIops) throws TuningException {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("read_bytes_sec", readBytes);
        values.put("write_bytes_sec", writeBytes);
        values.put("read_iops_sec", readIops);
        values.put("write_iops_sec", writeIops);
        virSchedParameter[] params = typed(values, TYPED_ULLONG);
        withDomain(connect, uuid, "virDomainSetBlockIoTune on " + disk, params, (d, flags) -> Holder.FUNCTIONS
                .virDomainSetBlockIoTune(d, disk, params[0].getPointer(), params.length, flags));
    }

    /**
     * Sets {@code inbound.average} (what the guest receives) and {@code outbound.average} (what it sends) of one
     * interface, in KiB/s (0 lifts a limit).
     *
     * @param device the interface's MAC address (found in the live and the persistent definition alike) or target
     */
    static void setInterfaceBandwidth(NativeConnect connect, String uuid, String device, long inboundKiB,
                                      long outboundKiB) throws TuningException {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("inbound.average", inboundKiB);
        values.put("outbound.average", outboundKiB);
        virSchedParameter[] params = typed(values, TYPED_UINT);
        withDomain(connect, uuid, "virDomainSetInterfaceParameters on " + device, params, (d, flags) -> Holder
                .FUNCTIONS.virDomainSetInterfaceParameters(d, device, params[0].getPointer(), params.length, flags));
    }

    /** One contiguous {@code virTypedParameter} array (JNA passes a pointer to its first element). */
    static virSchedParameter[] typed(Map<String, Long> values, int type) {
        virSchedParameter[] params = (virSchedParameter[]) new virSchedParameter().toArray(values.size());
        int i = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            virSchedParameter p = params[i++];
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, p.field, 0, name.length); // the rest stays 0: NUL-terminated
            p.type = type;
            long value = Math.max(0, e.getValue() == null ? 0 : e.getValue());
            if (type == TYPED_UINT) {
                p.value.setType(int.class);
                p.value.i = (int) Math.min(value, 0xFFFF_FFFFL);
            } else {
                p.value.setType(long.class);
                p.value.l = value;
            }
            p.write();
        }
        return params;
    }

    @FunctionalInterface
    private interface NativeCall {
        int apply(DomainPointer domain, int flags);
    }

    /**
     * Calls with {@code LIVE | CONFIG}, or with {@code LIVE} alone when every value is 0: lifting limits in the
     * definition would leave an empty {@code <bandwidth>} behind (libvirt 9), and the definition the Core wrote
     * before has no limits anyway.
     * <p>
     * A driver that takes one of the two flags at a time refuses both together with {@code VIR_ERR_INVALID_ARG}
     * (libvirt's test driver: {@code virDomainObjGetOneDef}). On that error the call is made again once per flag,
     * the definition first: an argument that is really invalid fails that call the same way and is reported from
     * there, with nothing changed; and a live call failing after it leaves the limits where the Core's definition
     * puts them anyway, for the next start. The message is never read to tell these apart.
     */
    private static void withDomain(NativeConnect connect, String uuid, String what, virSchedParameter[] params,
                                   NativeCall call) throws TuningException {
        boolean lifting = true;
        for (virSchedParameter p : params) {
            lifting &= p.type == TYPED_UINT ? p.value.i == 0 : p.value.l == 0;
        }
        DomainPointer domain = Libvirt.INSTANCE.virDomainLookupByUUIDString(connect.pointer(), uuid);
        if (domain == null) {
            throw failure("domain " + uuid + " not found");
        }
        try {
            if (lifting) {
                if (call.apply(domain, LIVE) < 0) {
                    throw failure(what + " failed");
                }
                return;
            }
            if (call.apply(domain, LIVE_AND_CONFIG) >= 0) {
                return;
            }
            TuningException both = failure(what + " failed");
            if (both.code() != LibvirtLastError.INVALID_ARG) {
                throw both;
            }
            for (int flags : new int[] {CONFIG, LIVE}) {
                if (call.apply(domain, flags) < 0) {
                    throw failure(what + " failed");
                }
            }
        } finally {
            Libvirt.INSTANCE.virDomainFree(domain);
        }
    }

    /** libvirt's last error of this thread, where the failed call left it. */
    private static TuningException failure(String what) {
        LibvirtLastError error = LibvirtLastError.read();
        return new TuningException(what + ": " + (error.message() == null ? "no message from libvirt"
                : error.message().strip()), error.code());
    }
}
