package io.skiff.console.vnc.internal;

import io.skiff.api.Skiff;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import io.skiff.api.spi.ConsoleProvider;
import io.skiff.api.spi.ConsoleTicket;
import io.skiff.tokens.TokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Issues one-time console tokens for running instances, to their owner or an admin; {@link VncWebSocketEndpoint}
 * redeems them. Tokens live in memory only: a restart invalidates them, which costs a click.
 */
@Component(service = {ConsoleProvider.class, VncConsoleProvider.class}, property = Skiff.PROVIDER_PROPERTY + "=vnc",
        configurationPid = "io.skiff.console.vnc")
@Designate(ocd = VncConsoleConfig.class)
public class VncConsoleProvider implements ConsoleProvider {
    static final String PATH = "/console/vnc";
    private static final Logger LOG = LoggerFactory.getLogger(VncConsoleProvider.class);

    private final InstanceService instances;
    private final ConsoleTokens tokens;
    private final Duration connectTimeout;

    @Activate
    public VncConsoleProvider(@Reference InstanceService instances, VncConsoleConfig config) {
        this(instances, new ConsoleTokens(Clock.systemUTC(), Duration.ofSeconds(Math.max(1, config.tokenTtlSeconds()))),
                Duration.ofSeconds(Math.max(1, config.connectTimeoutSeconds())));
    }

    VncConsoleProvider(InstanceService instances, ConsoleTokens tokens, Duration connectTimeout) {
        this.instances = instances;
        this.tokens = tokens;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public ConsoleTicket open(String instanceIdOrName, AuthenticatedUser user) {
        // the Core's visibility rule (owner, sharing group, resource.all): another user's instance is not even named
        InstanceStatus instance = instances.get(instanceIdOrName, user);
        if (instance.state() != InstanceState.RUNNING) {
            throw SkiffException.conflict("instance", "instance '" + instance.spec().name() + "' is not running ("
                    + instance.state().name().toLowerCase() + "); start it to open its console");
        }
        TokenStore.Issued token = tokens.issue(user.name(), instance.id());
        LOG.info("instance {}: console token issued to {} (valid {} s, one use)", instance.id(), user.name(),
                tokens.ttl().toSeconds());
        return new ConsoleTicket(token.token(), instance.id(), user.name(), "vnc",
                PATH + "?token=" + token.token(), token.expiresAt());
    }

    @Override
    public ConsoleEndpoint endpoint(String instanceId) {
        return instances.consoleEndpoint(instanceId);
    }

    /** @see ConsoleTokens#redeem */
    ConsoleTokens.Grant redeem(String token, String instanceId) throws ConsoleTokens.Refused {
        return tokens.redeem(token, instanceId);
    }

    InstanceService instances() {
        return instances;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }
}
