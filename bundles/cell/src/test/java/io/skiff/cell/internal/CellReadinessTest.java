package io.skiff.cell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.spi.Hypervisor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class CellReadinessTest {
    private final List<Hypervisor> hypervisors = new ArrayList<>();
    private final CellReadiness readiness = new CellReadiness("cell-a", () -> List.copyOf(hypervisors),
            System::nanoTime);

    @Test
    void notReadyWithoutAHypervisor() {
        assertFalse(readiness.ready());
        assertFalse(readiness.ready());
    }

    @Test
    void readyOnceTheHypervisorHasAnsweredAndThenForGood() throws Exception {
        CountDownLatch chosen = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        FakeHypervisor probing = new FakeHypervisor() {
            @Override
            public HostCapabilities capabilities() {
                asked.incrementAndGet();
                try {
                    // the libvirt provider answers once its accelerator probe is done
                    assertTrue(chosen.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.capabilities();
            }
        };
        hypervisors.add(probing);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(readiness::ready);
        assertFalse(first.isDone());
        chosen.countDown();
        assertTrue(first.get(10, TimeUnit.SECONDS));
        assertTrue(readiness.ready());
        assertEquals(1, asked.get(), "asked once");
    }

    @Test
    void aHypervisorThatCannotAnswerStillMakesTheCellReady() {
        hypervisors.add(new FakeHypervisor() {
            @Override
            public HostCapabilities capabilities() {
                throw SkiffException.unavailable("libvirt at qemu:///system is unreachable");
            }
        });
        assertTrue(readiness.ready());
    }
}
