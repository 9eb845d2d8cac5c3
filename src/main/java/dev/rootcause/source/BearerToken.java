package dev.rootcause.source;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds {@code Authorization: Bearer <token>} to every request of a REST client when a token is configured.
 * The token lives only here and in the request header; {@link #toString()} never shows it.
 */
public final class BearerToken implements ClientHeadersFactory {

    private final Optional<String> token;

    public BearerToken(Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> out = new MultivaluedHashMap<>(outgoing);
        token.ifPresent(t -> out.putSingle("Authorization", "Bearer " + t));
        return out;
    }

    @Override
    public String toString() {
        return token.isPresent() ? "Bearer ****" : "no token";
    }
}
