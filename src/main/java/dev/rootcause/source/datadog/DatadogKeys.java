package dev.rootcause.source.datadog;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds {@code DD-API-KEY} and {@code DD-APPLICATION-KEY} to every request (docs.datadoghq.com/api/latest/#authentication).
 * The keys live only here and in the request headers; {@link #toString()} never shows them.
 */
final class DatadogKeys implements ClientHeadersFactory {

    private final Optional<String> apiKey;
    private final Optional<String> applicationKey;

    DatadogKeys(Optional<String> apiKey, Optional<String> applicationKey) {
        this.apiKey = apiKey.filter(k -> !k.isBlank());
        this.applicationKey = applicationKey.filter(k -> !k.isBlank());
    }

    /** Whether both keys are set: every API read here needs both. */
    boolean complete() {
        return apiKey.isPresent() && applicationKey.isPresent();
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> out = new MultivaluedHashMap<>(outgoing);
        apiKey.ifPresent(k -> out.putSingle("DD-API-KEY", k));
        applicationKey.ifPresent(k -> out.putSingle("DD-APPLICATION-KEY", k));
        return out;
    }

    @Override
    public String toString() {
        return "DD-API-KEY " + (apiKey.isPresent() ? "****" : "unset") + ", DD-APPLICATION-KEY " + (applicationKey.isPresent() ? "****" : "unset");
    }
}
