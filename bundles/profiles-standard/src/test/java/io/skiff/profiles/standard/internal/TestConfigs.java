package io.skiff.profiles.standard.internal;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Builds {@link ProfileConfig}s the way DS does: string values from a {@code .cfg} converted, defaults otherwise. */
final class TestConfigs {
    static final Path CFG_DIR = Path.of("src/main/cfg");

    private TestConfigs() {
    }

    static Map<String, String> load(String profileName) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(CFG_DIR.resolve("io.skiff.profile-" + profileName + ".cfg"),
                StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> map = new HashMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return map;
    }

    static ProfileConfig config(Map<String, String> values) {
        return (ProfileConfig) Proxy.newProxyInstance(ProfileConfig.class.getClassLoader(),
                new Class<?>[] {ProfileConfig.class}, (proxy, method, args) -> value(method, values));
    }

    private static Object value(Method method, Map<String, String> values) {
        switch (method.getName()) {
            case "toString": return "ProfileConfig" + values;
            case "hashCode": return values.hashCode();
            case "equals": return false;
            case "annotationType": return ProfileConfig.class;
            default: break;
        }
        String raw = values.get(method.getName());
        if (raw == null) {
            return method.getDefaultValue();
        }
        return method.getReturnType() == boolean.class ? Boolean.parseBoolean(raw.trim()) : raw;
    }
}
