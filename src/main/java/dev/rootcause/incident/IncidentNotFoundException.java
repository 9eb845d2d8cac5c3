package dev.rootcause.incident;

/** No incident with that id. Answered with HTTP 404. */
public class IncidentNotFoundException extends RuntimeException {

    public IncidentNotFoundException(long id) {
        super("no incident with id " + id);
    }
}
