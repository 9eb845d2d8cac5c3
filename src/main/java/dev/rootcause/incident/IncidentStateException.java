package dev.rootcause.incident;

/** A lifecycle step that does not apply to the incident's current status. Answered with HTTP 409. */
public class IncidentStateException extends RuntimeException {

    public IncidentStateException(String message) {
        super(message);
    }
}
