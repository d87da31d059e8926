package io.skiff.api.model;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules of instance labels ({@link InstanceSpec#labels()}) and of the selectors that filter by them
 * ({@link InstanceFilter#labels()}), shared by the Core, REST and the shell.
 *
 * <p>A key has 1–63 letters, digits, {@code -}, {@code _}, {@code .} or {@code /}, and begins and ends with a letter
 * or a digit (e.g. {@code tier}, {@code example.com/team}); a value has 1–63 letters, digits, {@code -}, {@code _} or
 * {@code .}, and begins and ends with a letter or a digit. An instance has at most {@value #MAX_LABELS} labels. A
 * selector is {@code key=value} (the label has that value) or {@code key} (the instance has the label).
 *
 * @since 2.6
 */
public final class Labels {
    /** The most labels an instance has. */
    public static final int MAX_LABELS = 64;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

    private Labels() {
    }

    /**
     * @return the labels, sorted by key and unmodifiable; empty for {@code null}
     * @throws IllegalArgumentException naming the first key or value that breaks the rules, or too many labels
     */
    public static Map<String, String> check(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Map.of();
        }
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("at most " + MAX_LABELS + " labels, not " + labels.size());
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            requireKey(e.getKey());
            String value = e.getValue();
            if (value == null || !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("label '" + e.getKey() + "' has a bad value '" + value
                        + "': 1-63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit");
            }
        }
        return sorted(labels);
    }

    /**
     * @param selectors each {@code key=value} or {@code key}; {@code null} or empty for none
     * @return the selectors as a map: a key to the value it must have, or to {@code ""} when any value will do
     * @throws IllegalArgumentException naming the first selector that breaks the rules
     */
    public static Map<String, String> selectors(Collection<String> selectors) {
        if (selectors == null || selectors.isEmpty()) {
            return Map.of();
        }
        Map<String, String> wanted = new TreeMap<>();
        for (String selector : selectors) {
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            int eq = selector.indexOf('=');
            String key = eq < 0 ? selector : selector.substring(0, eq);
            String value = eq < 0 ? "" : selector.substring(eq + 1);
            requireKey(key);
            if (eq >= 0 && !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("label selector '" + selector + "' has a bad value: use key=value"
                        + " or key alone");
            }
            String before = wanted.put(key, value);
            if (before != null && !before.equals(value)) {
                throw new IllegalArgumentException("label selectors ask two values of '" + key + "'");
            }
        }
        return Collections.unmodifiableMap(wanted);
    }

    /**
     * @param selectors as {@link #selectors(Collection)} answers them (empty value: any value)
     * @return whether the labels satisfy every selector
     */
    public static boolean satisfy(Map<String, String> labels, Map<String, String> selectors) {
        if (selectors == null || selectors.isEmpty()) {
            return true;
        }
        if (labels == null || labels.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> s : selectors.entrySet()) {
            String value = labels.get(s.getKey());
            if (value == null || (!s.getValue().isEmpty() && !s.getValue().equals(value))) {
                return false;
            }
        }
        return true;
    }

    /** @return the labels sorted by key, unmodifiable (no check) */
    static Map<String, String> sorted(Map<String, String> labels) {
        return labels == null || labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    private static void requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("bad label key '" + key + "': 1-63 letters, digits, '-', '_', '.' or"
                    + " '/', beginning and ending with a letter or digit");
        }
    }
}
