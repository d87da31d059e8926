package io.skiff.cell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered services of one SPI, by name ({@code skiff.provider}, or a profile's name). A caller asks for the
 * name its settings give, never for "any": another provider's arrival changes nothing. Two services of one name (an
 * old and a new bundle during an update) are ordered as OSGi orders them: highest {@code service.ranking}, then
 * lowest {@code service.id}.
 *
 * @param <T> the SPI
 */
final class ProvidersByName<T> {
    private record Entry<T>(T service, int ranking, long serviceId) {
    }

    private static final Comparator<Entry<?>> OSGI_ORDER = Comparator.<Entry<?>>comparingInt(e -> -e.ranking())
            .thenComparingLong(Entry::serviceId);

    private final Map<String, List<Entry<T>>> byName = new ConcurrentHashMap<>();

    void add(String name, T service, Map<String, ?> properties) {
        Entry<T> entry = new Entry<>(service, number(properties.get("service.ranking")).intValue(),
                number(properties.get("service.id")).longValue());
        byName.compute(name, (n, current) -> {
            List<Entry<T>> list = current == null ? new ArrayList<>() : new ArrayList<>(current);
            list.add(entry);
            list.sort(OSGI_ORDER);
            return List.copyOf(list);
        });
    }

    /** Removes the service under whatever name it was added. */
    void remove(T service) {
        for (String name : List.copyOf(byName.keySet())) {
            byName.computeIfPresent(name, (n, current) -> {
                List<Entry<T>> left = current.stream().filter(e -> e.service() != service).toList();
                return left.isEmpty() ? null : left;
            });
        }
    }

    /** @return the service of that name, or {@code null} when none is registered now */
    T get(String name) {
        List<Entry<T>> entries = name == null ? null : byName.get(name);
        return entries == null || entries.isEmpty() ? null : entries.get(0).service();
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : 0;
    }
}
