package io.skiff.rest.internal;

import io.skiff.api.model.Labels;
import io.skiff.api.service.SkiffException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;

/** The filters of list requests ({@code ?state=running&pool=web}): absent or empty means "any". */
final class Filters {
    private Filters() {
    }

    /**
     * @return the constant {@code value} names (any case), or {@code null} when absent
     * @throws SkiffException 400 naming {@code field} and the allowed values, for any other value
     */
    static <E extends Enum<E>> E constant(String field, String value, Class<E> type) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid(field, field + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    /**
     * @return label selectors ({@code key=value} or {@code key}) as {@link Labels#selectors} reads them
     * @throws SkiffException 400 naming {@code field}, for a selector that breaks the rules
     */
    static Map<String, String> labels(String field, List<String> selectors) {
        try {
            return Labels.selectors(selectors);
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid(field, e.getMessage());
        }
    }

    /** @return whether {@code actual} is what the filter asks, or the filter asks nothing */
    static boolean equal(String wanted, String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }
}
