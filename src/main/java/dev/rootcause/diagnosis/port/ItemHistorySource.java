package dev.rootcause.diagnosis.port;

import java.time.Instant;
import java.util.List;

/**
 * A monitoring system that keeps numeric history per item, an item being named by its host and its key (Zabbix:
 * {@code item.get}, {@code history.get}, {@code trend.get} over its JSON-RPC API; SkyWalking: the host is a service or
 * {@code <endpoint> in <service>}, the key an MQE expression, read with {@code execExpression}). Where Prometheus is absent, the
 * host and network checks read their evidence here ({@code items.compare}).
 */
public interface ItemHistorySource {

    /**
     * The item's numeric values between {@code start} and {@code end} (inclusive, whole seconds): raw history for
     * short windows, hourly averages (trends) for long ones or where raw history is no longer kept; the adapter
     * says which in {@link ItemSeries#method()}.
     *
     * @param host the host's technical name (Zabbix {@code host}, not its visible name)
     * @param key  the item key exactly as configured, e.g. {@code net.if.in[eth0,errors]}
     * @throws ItemHistorySourceException status {@code no_data} when the host has no such item or the item is not
     *                                    numeric; {@code error} or {@code timeout} when the backend failed or
     *                                    answered an error (JSON-RPC errors arrive with HTTP 200: they are failures,
     *                                    never empty data)
     */
    ItemSeries history(String host, String key, Instant start, Instant end) throws ItemHistorySourceException;

    /** The backend's name for evidence, e.g. {@code zabbix}. */
    String name();

    /**
     * One item's values.
     *
     * @param host     the host as asked
     * @param key      the key as asked
     * @param itemId   the backend's id of the item
     * @param name     the item's name as configured (may hold Zabbix macros such as {@code $1} unexpanded)
     * @param units    the item's units, e.g. {@code %}, {@code bps}; "" when none
     * @param method   how the values were read: {@code history.get} or {@code trend.get} (hourly averages)
     * @param times    sample times (UTC), ascending
     * @param values   the samples, as many as {@code times}
     * @param warnings what the adapter had to cut or could not read (e.g. more samples than its limit), each a sentence
     * @param link     a page of the backend's UI showing the item over the window, or null
     */
    record ItemSeries(String host, String key, String itemId, String name, String units, String method, List<Instant> times,
            double[] values, List<String> warnings, String link) {
        public ItemSeries {
            times = List.copyOf(times);
            warnings = List.copyOf(warnings);
            if (values.length != times.size()) {
                throw new IllegalArgumentException(values.length + " values for " + times.size() + " times");
            }
        }
    }
}
