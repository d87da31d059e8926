package io.skiff.core.internal.cell;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellCertificates;
import io.skiff.api.cell.CellDomains;
import io.skiff.api.cell.CellGuestAgent;
import io.skiff.api.cell.CellMigrations;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.CellRequest;
import io.skiff.api.cell.CellSnapshots;
import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellClientsTest {

    @Test
    void aMethodCallIsItsRequestToTheNamedCell() {
        List<Object[]> sent = new ArrayList<>();
        CellClients clients = new CellClients(new CellClients.Caller() {
            @Override
            public <R> R call(String cell, String type, Object body, Class<R> reply) {
                sent.add(new Object[] {cell, type, body, reply});
                return reply.cast(reply == Ack.class ? new Ack("i-1", "undefined")
                        : new DiskUsage("i-1", 0, 1, 2, 3));
            }
        });
        Ack ack = clients.of(CellDomains.class, "cell-a").undefine(InstanceAction.of("i-1"));
        assertEquals("undefined", ack.detail());
        DiskUsage usage = clients.of(CellVolumes.class, "cell-b").diskUsage(new DiskUsageRequest("i-1", 0));
        assertEquals(3, usage.dataEndBytes());
        assertEquals("cell-a", sent.get(0)[0]);
        assertEquals(CellProtocol.UNDEFINE, sent.get(0)[1]);
        assertEquals(InstanceAction.of("i-1"), sent.get(0)[2]);
        assertSame(Ack.class, sent.get(0)[3]);
        assertEquals(CellProtocol.DISK_USAGE, sent.get(1)[1]);
        assertEquals("CellVolumes@cell-b", clients.of(CellVolumes.class, "cell-b").toString());
    }

    @Test
    void aCallIsCapturedWithoutBeingSent() {
        CellClients clients = new CellClients(new CellClients.Caller() {
            @Override
            public <R> R call(String cell, String type, Object body, Class<R> reply) {
                throw new AssertionError("nothing is sent");
            }
        });
        CellClients.Call call = clients.capture(CellDomains.class, d -> d.start(InstanceAction.of("i-1")));
        assertEquals(new CellClients.Call(CellProtocol.START, InstanceAction.of("i-1"), Ack.class), call);
        assertThrows(IllegalArgumentException.class, () -> clients.capture(CellDomains.class, d -> { }));
    }

    @Test
    void theCellsErrorIsTheCallersError() {
        CellClients clients = new CellClients(new CellClients.Caller() {
            @Override
            public <R> R call(String cell, String type, Object body, Class<R> reply) {
                throw SkiffException.invalid("sizeBytes", "the disk holds data up to byte 52428800");
            }
        });
        SkiffException e = assertThrows(SkiffException.class,
                () -> clients.of(CellVolumes.class, "cell-a").diskUsage(new DiskUsageRequest("i-1", 0)));
        assertEquals("sizeBytes", e.field());
    }

    /** Every request type of the protocol has exactly one method in one capability interface, and no other. */
    @Test
    void theCapabilitiesCoverTheProtocol() throws Exception {
        Set<String> requests = new HashSet<>();
        for (Field f : CellProtocol.class.getFields()) {
            requests.add((String) f.get(null));
        }
        requests.remove(CellProtocol.INSTANCES_REPORT); // an event, not a request
        requests.remove(CellProtocol.INSTANCE_RESTART); // an event too
        requests.remove(CellProtocol.CORE_STOPPING); // events of the Core
        requests.remove(CellProtocol.CORE_STARTED);
        requests.remove(CellProtocol.CORE_ALIVE);
        Set<String> methods = new HashSet<>();
        for (Class<?> capability : List.of(CellVolumes.class, CellDomains.class, CellSnapshots.class,
                CellGuestAgent.class, CellMigrations.class, CellCertificates.class)) {
            for (Method m : capability.getMethods()) {
                CellRequest r = m.getAnnotation(CellRequest.class);
                assertTrue(r != null && m.getParameterCount() == 1, m + " is a request with one body");
                assertTrue(methods.add(r.value()), r.value() + " has one method only");
            }
        }
        assertEquals(requests, methods);
    }
}
