package dev.rootcause.chat.discord;

import java.util.List;

/**
 * The service names people can pick in {@code /diagnose}: the values of the {@code service} label in the
 * metrics backend. (A small port of its own until the metrics source offers label values.)
 */
public interface ServiceNames {

    /**
     * All values of the {@code service} label, as the backend lists them.
     *
     * @throws RuntimeException when the backend cannot be asked
     */
    List<String> all();
}
