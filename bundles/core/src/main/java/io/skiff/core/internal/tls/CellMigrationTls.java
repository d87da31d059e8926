package io.skiff.core.internal.tls;

import io.skiff.api.cell.CellCertificates;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.MigrationTlsCertificate;
import io.skiff.api.cell.MigrationTlsReport;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.instance.CellCalls;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The cells' migration TLS, as their instances reports ({@value CellProtocol#INSTANCES_REPORT}, handed over by the
 * instance component, which listens to them) tell it: where each cell stands ({@link #state}, shown with the cell and
 * checked before a migration), and the answer to the PKCS#10 request a report carries while its cell needs a
 * certificate: the Core's {@link ClusterCertificateAuthority} (kept in {@code <karaf.data>/skiff/ca}) signs it and the
 * certificate goes with the CA's to that cell ({@link CellCertificates}). One request per cell is in flight at a time,
 * off the transport's thread; a request is answered (or refused, logged once) once: the cell's next one is new.
 */
@Component(service = CellMigrationTls.class)
public class CellMigrationTls {
    private static final Logger LOG = LoggerFactory.getLogger(CellMigrationTls.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ClusterCertificateAuthority ca;
    private final Function<String, CellCertificates> cells;
    private final Executor executor;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * The last request of each cell that was answered or refused: not signed again (a report sent before the cell
     * took its certificate may still carry it), a refusal not logged again.
     */
    private final Map<String, String> settled = new ConcurrentHashMap<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();

    @Activate
    public CellMigrationTls(@Reference ClusterTransport transport) {
        this(new ClusterCertificateAuthority(Path.of(System.getProperty("karaf.data", "data"), "skiff", "ca"),
                Clock.systemUTC()), new CellCalls(transport, CALL_TIMEOUT)::certificates, ownExecutor());
    }

    CellMigrationTls(ClusterCertificateAuthority ca, Function<String, CellCertificates> cells, Executor executor) {
        this.ca = ca;
        this.cells = cells;
        this.executor = executor;
    }

    private static ExecutorService ownExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "skiff-cluster-ca");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        if (executor instanceof ExecutorService own) {
            own.shutdownNow();
        }
    }

    /**
     * @return the cell's last reported state ({@value MigrationTlsReport#OFF}, {@value MigrationTlsReport#REQUESTED},
     *     {@value MigrationTlsReport#READY}), or {@code null} when it has not said (not reported yet, older version)
     */
    public String state(String cell) {
        return states.get(cell);
    }

    /**
     * Notes where the cell stands and signs the request its report carries, unless one of the cell's is being
     * answered or was refused.
     */
    public void onReport(CellInstancesReport report) {
        MigrationTlsReport tls = report.migrationTls();
        String cell = report.node();
        if (tls == null || tls.state() == null) {
            states.remove(cell);
        } else {
            states.put(cell, tls.state());
        }
        String request = tls == null ? null : tls.certificateRequest();
        if (request == null || request.equals(settled.get(cell)) || !inFlight.add(cell)) {
            return;
        }
        executor.execute(() -> {
            try {
                issue(cell, request);
            } finally {
                inFlight.remove(cell);
            }
        });
    }

    private void issue(String cell, String request) {
        String certificate;
        try {
            certificate = ca.sign(request, cell);
        } catch (SkiffException e) {
            settled.put(cell, request);
            LOG.warn("cell {}: {}", cell, e.getMessage());
            return;
        }
        try {
            cells.apply(cell).installMigrationTls(new MigrationTlsCertificate(ca.certificatePem(), certificate));
            settled.put(cell, request);
        } catch (SkiffException e) {
            // the cell reports its request again while it has no certificate: the next report retries
            LOG.warn("cell {}: did not take its migration TLS certificate: {}", cell, e.getMessage());
        }
    }
}
