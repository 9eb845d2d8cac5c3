package dev.rootcause.alert;

/**
 * A webhook body that cannot be accepted. Answered with HTTP 400 naming the field.
 */
public class InvalidPayloadException extends RuntimeException {

    private final String field;

    /**
     * @param field   the JSON path of the offending field, e.g. {@code alerts[3].startsAt}; {@code $}
     *                for the body as a whole
     * @param message what is wrong with it
     */
    public InvalidPayloadException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
