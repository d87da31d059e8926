package io.skiff.core.internal.instance;

import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.core.internal.ComputePoolServiceImpl;
import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.skiff.core.internal.FakeDirectory.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Core chooses the address pool provider by its {@code skiff.provider}, as its settings
 * ({@code addressPoolProvider}) say, never by ranking; its {@link AddressPoolService} hands every call to that
 * provider, and names it when it is missing. No cell is asked for anything.
 */
@DisplayName("The Core uses the address pool provider its settings name (unit)")
class AddressPoolProviderChoiceTest {

    /** A call an address pool provider received. */
    private record Call(String provider, String method, List<Object> args) {
    }

    @TempDir
    Path dir;

    private final List<Call> calls = new ArrayList<>();
    private JournalStateStore store;
    private JournaledTaskEngine engine;
    private InstanceCapabilities instances;

    @BeforeEach
    void open() throws Exception {
        store = new JournalStateStore(dir.resolve("state"), Json.newObjectMapper(), 10_000);
        engine = new JournaledTaskEngine(store, 1, Clock.systemUTC());
        InventoryLock lock = new InventoryLock();
        instances = new InstanceCapabilities(store, engine, null, new ComputePoolServiceImpl(store, lock),
                new ImageCatalog(store, lock, engine, dir.resolve("images"), Clock.systemUTC()),
                new FakeCellTransport("cell-1"), settings(Map.of()));
        instances.addAddressPools(recording("ipv4"), "ipv4");
        instances.addAddressPools(recording("other"), "other");
    }

    @AfterEach
    void close() throws Exception {
        instances.close();
        engine.close();
        store.close();
    }

    private static SchedulerConfig settings(Map<String, Object> values) {
        return InstanceCellProtocolTest.config(SchedulerConfig.class, values);
    }

    /** A provider that records each call and answers with a pool named after itself. */
    private AddressPoolProvider recording(String name) {
        AddressPool answer = pool(name);
        return (AddressPoolProvider) Proxy.newProxyInstance(AddressPoolProvider.class.getClassLoader(),
                new Class<?>[] {AddressPoolProvider.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "provider " + name;
                        default:
                            break;
                    }
                    calls.add(new Call(name, method.getName(), args == null ? List.of() : Arrays.asList(args)));
                    Class<?> type = method.getReturnType();
                    if (type == List.class) {
                        return List.of(answer);
                    }
                    if (type == Optional.class) {
                        return Optional.of(answer);
                    }
                    if (type == AddressPool.class) {
                        return answer;
                    }
                    return type == String.class ? name : null;
                });
    }

    private static AddressPool pool(String name) {
        return new AddressPool(name, name, List.of(new AddressRange("10.0.0.10", "10.0.0.20")), 24, "10.0.0.1",
                List.of(), null);
    }

    private String providerUsed() {
        calls.clear();
        instances.addressPools().list(ALICE);
        return calls.get(0).provider();
    }

    @Test
    void byDefaultTheIpv4ProviderIsUsed() {
        assertEquals("ipv4", providerUsed());
        assertEquals("ipv4", instances.providers().addressPoolsOrNull().list().get(0).name(), "also by the tasks");
    }

    @Test
    void theProviderTheSettingsNameIsUsedWhateverElseIsRegistered() {
        instances.update(settings(Map.of("addressPoolProvider", "other")), FaultInjection.NONE);
        assertEquals("other", providerUsed());
        assertEquals("other", instances.providers().addressPools().list().get(0).name(), "also by the tasks");

        instances.update(settings(Map.of("addressPoolProvider", "ipv4")), FaultInjection.NONE);
        assertEquals("ipv4", providerUsed());
    }

    @Test
    void aProviderOfAnotherNameArrivingChangesNothing() {
        instances.addAddressPools(recording("late"), "late");
        assertEquals("ipv4", providerUsed());
    }

    @Test
    void aMissingProviderOfTheConfiguredNameIsNamedAndCountsAsNone() {
        instances.update(settings(Map.of("addressPoolProvider", "missing")), FaultInjection.NONE);
        SkiffException e = assertThrows(SkiffException.class, () -> instances.addressPools().list(ALICE));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertEquals("provider-unavailable", e.code());
        assertEquals("provider missing (AddressPoolProvider) is not available", e.getMessage());

        InstanceProviders providers = instances.providers();
        assertNull(providers.addressPoolsOrNull(), "instances then have no address, as without any provider");
        assertNull(providers.addressOf("i-1"));
        SkiffException internal = assertThrows(SkiffException.class, providers::addressPools);
        assertEquals("no address pool provider is available", internal.getMessage(), "as without any provider");
    }

    @Test
    void aProviderThatGoesAwayIsMissing() {
        InstanceProviders providers = instances.providers();
        AddressPoolProvider ipv4 = providers.addressPoolsOrNull();
        providers.removeAddressPools(recording("ipv4"), "ipv4");
        assertEquals("ipv4", providerUsed(), "another object of that name does not remove it");
        providers.removeAddressPools(ipv4, "ipv4");
        SkiffException e = assertThrows(SkiffException.class, () -> instances.addressPools().get("p", ALICE));
        assertEquals("provider ipv4 (AddressPoolProvider) is not available", e.getMessage());
    }

    /** Every operation of the service is the provider's operation of the same name, with the same arguments. */
    @Test
    void theServiceHandsEachCallToTheProvider() throws Exception {
        AddressPoolService service = instances.addressPools();
        for (Method m : AddressPoolService.class.getMethods()) {
            Class<?>[] types = m.getParameterTypes();
            assertSame(AuthenticatedUser.class, types[types.length - 1], m.getName() + " takes the caller last");
            Method target = AddressPoolProvider.class.getMethod(m.getName(),
                    Arrays.copyOf(types, types.length - 1));
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < types.length - 1; i++) {
                args.add(sample(types[i], i));
            }
            List<Object> withCaller = new ArrayList<>(args);
            withCaller.add(ALICE);
            calls.clear();
            Object answer = m.invoke(service, withCaller.toArray());
            assertEquals(List.of(new Call("ipv4", target.getName(), args)), calls, m.getName());
            if (m.getReturnType() != void.class) {
                assertEquals(m.getReturnType() == Optional.class ? Optional.of(pool("ipv4"))
                        : m.getReturnType() == List.class ? List.of(pool("ipv4")) : pool("ipv4"), answer, m.getName());
            }
        }
    }

    private static Object sample(Class<?> type, int index) {
        if (type == String.class) {
            return "arg" + index;
        }
        if (type == AddressRange.class) {
            return new AddressRange("10.0.0.30", "10.0.0.40");
        }
        if (type == AddressPool.class) {
            return pool("new");
        }
        if (type == List.class) {
            return List.of("10.0.0.53");
        }
        throw new AssertionError("no sample of " + type);
    }
}
