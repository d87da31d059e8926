package io.skiff.rest.internal;

/** The body of every error answer: {@code {"error":{"code","message","field"}}}. */
public record ErrorBody(Detail error) {

    /**
     * @param code machine-readable code, e.g. {@code invalid}
     * @param message what went wrong, for people
     * @param field the request field at fault, or {@code null}
     */
    public record Detail(String code, String message, String field) {
    }

    static ErrorBody of(String code, String message, String field) {
        return new ErrorBody(new Detail(code, message, field));
    }
}
