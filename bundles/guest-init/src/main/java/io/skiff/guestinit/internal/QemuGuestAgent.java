package io.skiff.guestinit.internal;

import io.skiff.guestinput.GuestInput;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.GuestAgentService;
import io.skiff.api.service.GuestSeedService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The guest agent operations of the Core ({@link GuestAgentService}): a user's password set in a running guest, and
 * its host name changed at run time (and in the instance's guest-initialisation settings, for its next first boot).
 * It runs beside the Core: it finds the instance and its cell through {@link InstanceService}, talks to the cell
 * through the cluster transport ({@link GuestAgentChannel}), and records the new host name through
 * {@link GuestSeedService}. Without the Core's services (a Cell-only node) it stays inactive.
 */
@Component(service = GuestAgentService.class, configurationPid = "io.skiff.guestinit.agent",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = QemuGuestAgent.Config.class)
public class QemuGuestAgent implements GuestAgentService {
    private static final Logger LOG = LoggerFactory.getLogger(QemuGuestAgent.class);

    @ObjectClassDefinition(name = "Skiff QEMU guest agent calls",
            description = "Password resets and host name changes in running guests, through their cells.")
    public @interface Config {
        @AttributeDefinition(description = "Seconds to wait for a cell to answer one guest agent command")
        int cellTimeoutSeconds() default 300;
    }

    private final InstanceService instances;
    private final GuestSeedService seeds;
    private final GuestAgentChannel agent;

    @Activate
    public QemuGuestAgent(@Reference InstanceService instances, @Reference GuestSeedService seeds,
                          @Reference ClusterTransport transport, Config config) {
        this(instances, seeds, new GuestAgentChannel(transport, Duration.ofSeconds(config.cellTimeoutSeconds())));
    }

    QemuGuestAgent(InstanceService instances, GuestSeedService seeds, GuestAgentChannel agent) {
        this.instances = instances;
        this.seeds = seeds;
        this.agent = agent;
    }

    @Override
    public String resetGuestPassword(String idOrName, String user, String password, AuthenticatedUser caller) {
        // first: an instance the caller may not see is "not found", whatever else is wrong
        InstanceStatus target = instances.get(idOrName, caller);
        GuestInput.user("user", user);
        // hashed here: the agent takes a crypt(3) hash, so the plain text never leaves the Core
        String hash = GuestInput.hash("password", password);
        InstanceStatus instance = running(target, "a password reset");
        agent.command(instance, Map.of("execute", "guest-set-user-password", "arguments", Map.of("username", user,
                "password", Base64.getEncoder().encodeToString(hash.getBytes(StandardCharsets.UTF_8)),
                "crypted", true)));
        LOG.info("instance {} ({}): password of guest user '{}' reset through the guest agent",
                instance.spec().name(), instance.id(), user);
        return "password of user '" + user + "' set in the guest";
    }

    @Override
    public String changeGuestHostname(String idOrName, String hostname, AuthenticatedUser caller) {
        InstanceStatus target = instances.get(idOrName, caller);
        GuestInput.hostname("hostname", hostname);
        InstanceStatus instance = running(target, "a host name change");
        // the name is checked above (letters, digits, '-', '.'), so it is safe inside the quotes
        agent.exec(instance, "/bin/sh", List.of("-c", "hostname '" + hostname + "' && echo '" + hostname
                + "' > /etc/hostname"), "set its host name");
        seeds.recordHostname(instance.id(), hostname);
        LOG.info("instance {} ({}): guest host name set to {} through the guest agent", instance.spec().name(),
                instance.id(), hostname);
        return "host name set to " + hostname;
    }

    /**
     * @param what the operation, for the error
     * @return the instance, when no create or delete works on it and it runs
     * @throws SkiffException {@code CONFLICT instance} otherwise
     */
    static InstanceStatus running(InstanceStatus instance, String what) {
        String name = instance.spec().name();
        if (instance.state() == InstanceState.CREATING || instance.state() == InstanceState.DELETING) {
            throw SkiffException.conflict("instance", "instance '" + name + "' is "
                    + instance.state().name().toLowerCase() + "; wait for task " + instance.taskId());
        }
        if (instance.state() != InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + name + "' is not running; " + what
                    + " goes through the QEMU guest agent inside a running guest");
        }
        return instance;
    }
}
