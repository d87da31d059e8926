package io.skiff.libvirt;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.jna.virError;

import java.lang.reflect.Constructor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** libvirt's error numbers, as libvirt-java 0.5.2 hands them over, become the right kind of SkiffException. */
class LibvirtErrorsTest {

    /** A LibvirtException as libvirt-java makes it from libvirt's {@code virError} (its constructor is not public). */
    private static LibvirtException fromLibvirt(int code, String message) throws Exception {
        virError raw = new virError();
        raw.code = code;
        raw.message = message;
        Constructor<LibvirtException> c = LibvirtException.class.getDeclaredConstructor(Error.class);
        c.setAccessible(true);
        return c.newInstance(new Error(raw));
    }

    @Test
    void libvirtsTimeOutIsUnavailableThoughTheEnumCallsItSomethingElse() throws Exception {
        LibvirtException timeout = fromLibvirt(68, "Timed out during operation: cannot acquire state change lock");
        assertEquals(68, LibvirtErrors.number(timeout));
        assertEquals(SkiffException.Kind.UNAVAILABLE, LibvirtErrors.toSkiff("instance 1", "stopping", timeout).kind());
    }

    @Test
    void libvirtsCode64IsNoTimeOut() throws Exception {
        // libvirt's 64 is VIR_WAR_NO_SECRET; libvirt-java's enum names position 64 VIR_ERR_OPERATION_TIMEOUT
        assertEquals(SkiffException.Kind.INTERNAL,
                LibvirtErrors.toSkiff("instance 1", "x", fromLibvirt(64, "no secret")).kind());
    }

    @Test
    void codesBelowSixtyKeepTheirMeaning() throws Exception {
        assertEquals(SkiffException.Kind.NOT_FOUND,
                LibvirtErrors.toSkiff("instance 1", "x", fromLibvirt(42, "no domain")).kind());
        assertEquals(SkiffException.Kind.CONFLICT,
                LibvirtErrors.toSkiff("instance 1", "x", fromLibvirt(55, "invalid")).kind());
        assertEquals(SkiffException.Kind.UNAVAILABLE,
                LibvirtErrors.toSkiff("instance 1", "x", fromLibvirt(39, "rpc")).kind());
    }
}
