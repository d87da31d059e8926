package io.skiff.itests.osgi;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;

import javax.inject.Inject;
import javax.security.auth.Subject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOption;

/**
 * Boots the real Skiff distribution (the archive built by {@code karaf-assembly}) under Pax Exam, on free
 * loopback ports, with its cluster transport on a port of its own so it never meets another Skiff.
 */
public abstract class SkiffTestSupport {
    static final String ADMIN_PASSWORD = "integration-test-secret";
    /** The distribution's cell defines a libvirt storage pool; this test's own, removed afterwards. */
    static final String STORAGE_POOL = "skiff-itest-paxexam";

    @Inject
    protected SessionFactory sessionFactory;

    protected static Option[] distribution() throws IOException {
        String dist = new File(System.getProperty("skiff.distribution")).toURI().toString();
        String karaf = System.getProperty("karaf.version");
        String httpPort = Integer.toString(freePort());
        String transportPort = Integer.toString(freePort());
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl(dist).name("skiff")
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            keepRuntimeFolder(),
            logLevel(LogLevel.INFO),
            configureConsole().ignoreLocalConsole(),
            systemTimeout(180_000),
            // as bin/setenv does: the JAX-RS API bundle embeds a jar JDK 17.0.8+ refuses ("Invalid CEN header")
            vmOption("-Djdk.util.zip.disableZip64ExtraFieldValidation=true"),
            // the tests run inside the container and wait with Awaitility (versions from the build: itests/pom.xml)
            mavenBundle("org.hamcrest", "hamcrest", System.getProperty("hamcrest.version")),
            mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
            // Pax Exam does not run bin/setenv, which generates the TLS keystore: plain HTTP only
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.secure.enabled", "false"),
            editConfigurationFilePut("etc/system.properties", "skiff.test.http.port", httpPort),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                    Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                    Integer.toString(freePort())),
            editConfigurationFilePut("etc/io.skiff.transport.cfg", "nodeName", "itest-node"),
            editConfigurationFilePut("etc/io.skiff.transport.cfg", "bindPort", transportPort),
            editConfigurationFilePut("etc/io.skiff.transport.cfg", "portRange", "0"),
            editConfigurationFilePut("etc/io.skiff.transport.cfg", "members", "127.0.0.1[" + transportPort + "]"),
            editConfigurationFilePut("etc/io.skiff.storage.local.cfg", "poolName", STORAGE_POOL),
            editConfigurationFilePut("etc/io.skiff.cell.instances.cfg", "storagePool", STORAGE_POOL),
            editConfigurationFilePut("etc/io.skiff.hypervisor.libvirt.cfg", "accel", "tcg"),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")),
            editConfigurationFilePut("etc/system.properties", "java.net.preferIPv4Stack", "true"),
            new VMOption("--add-reads=java.xml=java.logging"),
            new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
            new VMOption("--patch-module"),
            new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karaf + ".jar"),
            new VMOption("--patch-module"),
            new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karaf + ".jar"),
            new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
            new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
            new VMOption("-classpath"),
            new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*")
        };
    }

    /** Removes the libvirt storage pool the distribution's cell defined (best effort). */
    protected static void removeStoragePool() {
        for (String action : new String[] {"pool-destroy", "pool-undefine"}) {
            try {
                new ProcessBuilder("virsh", "-c", "qemu:///system", action, STORAGE_POOL).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    protected static int httpPort() {
        return Integer.parseInt(System.getProperty("skiff.test.http.port"));
    }

    /** Runs a shell command as an admin and returns what it printed (errors included). */
    protected String executeCommand(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("admin"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        Session session = sessionFactory.create(System.in, out, out);
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            out.println("Error executing command: " + cause.getMessage());
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
