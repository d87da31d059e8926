package io.skiff.transport.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.MessageHandler;

/**
 * Publishes this node's {@link ClusterTransport}: joins the configured domain on activation and leaves it on
 * deactivation (a configuration change restarts it). Without a configuration it runs the all-in-one default: domain
 * {@code skiff}, bound to 127.0.0.1.
 */
@Component(service = ClusterTransport.class, configurationPid = "io.skiff.transport",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = TransportConfig.class)
public class TransportComponent implements ClusterTransport {
    private volatile JGroupsTransport transport;

    @Activate
    void activate(TransportConfig config) throws Exception {
        JGroupsTransport t = new JGroupsTransport(TransportSettings.from(config), newObjectMapper());
        t.start();
        transport = t;
    }

    @Deactivate
    void deactivate() {
        transport.close();
    }

    /**
     * The JSON mapping of message bodies: records and java.time as ISO strings, and unknown fields ignored so that a
     * node reads the bodies of the adjacent message version.
     */
    static ObjectMapper newObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Override
    public String domain() {
        return transport.domain();
    }

    @Override
    public String localNode() {
        return transport.localNode();
    }

    @Override
    public List<ClusterMember> members() {
        return transport.members();
    }

    @Override
    public void publish(String type, Object body) {
        transport.publish(type, body);
    }

    @Override
    public void send(String node, String type, Object body) {
        transport.send(node, type, body);
    }

    @Override
    public <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType, Duration timeout) {
        return transport.request(node, type, body, replyType, timeout);
    }

    @Override
    public Registration subscribe(String type, MessageHandler handler) {
        return transport.subscribe(type, handler);
    }

    @Override
    public Registration addMembershipListener(MembershipListener listener) {
        return transport.addMembershipListener(listener);
    }
}
