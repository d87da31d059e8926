package io.skiff.core.internal.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Builds the Jackson mapper the Core uses for its stored state and messages. Every component asks for its own
 * instance (no static singleton), but all of them share this one configuration, so a record written by one part is
 * read the same way by every other:
 * <ul>
 *   <li>{@code java.time} values as ISO-8601 strings, not numeric timestamps;</li>
 *   <li>unknown properties are ignored, so an older node reads the files and messages of a newer one;</li>
 *   <li>null properties are left out, which keeps the journal small and reads back as null.</li>
 * </ul>
 */
public final class Json {

    private Json() {
    }

    /** @return a new mapper with the Core's configuration; thread-safe once built */
    public static ObjectMapper newObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }
}
