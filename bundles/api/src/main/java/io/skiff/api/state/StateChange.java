package io.skiff.api.state;

/**
 * One change to the Core's state: put a value under (type, id), or delete it when {@code value} is null.
 *
 * @param type the kind of record, e.g. {@code pool}
 * @param id the record's id within its type
 * @param value the new value (a record mapped to JSON), or {@code null} to delete
 */
public record StateChange(String type, String id, Object value) {

    public static StateChange put(String type, String id, Object value) {
        return new StateChange(type, id, value);
    }

    public static StateChange delete(String type, String id) {
        return new StateChange(type, id, null);
    }
}
