package io.skiff.shell.internal;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.Map;
import java.util.stream.Collectors;

@Service
@Command(scope = "skiff", name = "address-pool-info", description = "Shows an address pool: ranges with used/free, bindings")
@RequiresPermission("address.read")
public class AddressPoolInfoCommand extends AddressPoolAction {

    @Reference
    private InstanceService instances;

    static String subnet(AddressPool p) {
        String[] o = p.gateway().split("\\.");
        long v = 0;
        for (String part : o) {
            v = (v << 8) | Integer.parseInt(part);
        }
        long mask = (0xFFFFFFFFL << (32 - p.prefixLength())) & 0xFFFFFFFFL;
        v &= mask;
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255) + "/"
                + p.prefixLength();
    }

    @Override
    protected Object run() {
        AddressPool p = pools.get(pool, caller());
        System.out.println("Name          : " + p.name());
        System.out.println("Subnet        : " + subnet(p));
        System.out.println("Gateway       : " + p.gateway());
        System.out.println("DNS servers   : " + (p.dnsServers().isEmpty() ? "-" : String.join(", ", p.dnsServers())));
        System.out.println("Domain        : " + (p.domain() == null ? "-" : p.domain()));
        System.out.println("Compute pools : " + (p.computePools().isEmpty() ? "-" : String.join(", ", p.computePools())));
        ShellTable ranges = new ShellTable();
        ranges.column("Range");
        ranges.column("Size").alignRight();
        ranges.column("Used").alignRight();
        ranges.column("Free").alignRight();
        for (AddressRangeUsage u : pools.usage(p.id(), caller())) {
            ranges.addRow().addContent(u.first() + "-" + u.last(), u.size(), u.used(), u.free());
        }
        ranges.print(System.out);
        Map<String, String> names = instances.list().stream()
                .collect(Collectors.toMap(InstanceStatus::id, i -> i.spec().name(), (a, b) -> a));
        ShellTable bindings = new ShellTable();
        bindings.column("Address");
        bindings.column("Instance");
        bindings.column("Bound");
        for (AddressBinding b : pools.bindings(p.id(), caller())) {
            bindings.addRow().addContent(b.address(), names.getOrDefault(b.holder(), b.holder()), b.boundAt());
        }
        bindings.print(System.out);
        return null;
    }
}
