package io.skiff.network.dnsmasq.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff DHCP by dnsmasq", description = "How the dnsmasq DhcpServer runs dnsmasq")
public @interface DnsmasqConfig {

    @AttributeDefinition(description = "The dnsmasq program")
    String program() default "dnsmasq";

    @AttributeDefinition(description = "Directory for dnsmasq's configuration, hosts, options, lease and log files;"
            + " empty means <karaf.data>/skiff/cell/dhcp")
    String dataDir() default "";
}
