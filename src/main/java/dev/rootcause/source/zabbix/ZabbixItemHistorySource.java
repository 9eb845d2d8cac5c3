package dev.rootcause.source.zabbix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ItemHistorySource} on Zabbix 6.0 LTS and 7.0 LTS ({@link ZabbixRpc}): {@code item.get} finds the item by
 * host ({@code host}, the technical name) and key ({@code filter.key_}, exact); {@code history.get} reads it
 * ({@code history} = its value type, 0 float or 3 unsigned; sorted by clock, paged by {@code limit} and
 * {@code time_from}), or {@code trend.get} ({@code value_avg}, hourly) when the window is longer than
 * {@code trends-after} or starts before the item's history storage period (its {@code history}, e.g. {@code 31d}).
 * Text, log and character items have nothing to compare: no_data.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.sources.items.kind", stringValue = "zabbix")
public class ZabbixItemHistorySource implements ItemHistorySource {

    private static final Pattern PERIOD = Pattern.compile("(\\d+)([smhdw]?)");
    private static final DateTimeFormatter FRONTEND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final ZabbixConfig config;
    private final ObjectMapper json;
    private final ZabbixRpc rpc;
    private final Clock clock;

    ZabbixItemHistorySource(ZabbixConfig config, ObjectMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.rpc = new ZabbixRpc(config, json);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "zabbix";
    }

    @Override
    public ItemSeries history(String host, String key, Instant start, Instant end) throws ItemHistorySourceException {
        ObjectNode find = json.createObjectNode();
        find.putArray("output").add("itemid").add("name").add("key_").add("value_type").add("units").add("history");
        find.put("host", host);
        find.putObject("filter").put("key_", key);
        find.put("webitems", true);
        JsonNode items = rpc.call("item.get", find);
        if (!items.isArray() || items.isEmpty()) {
            throw new ItemHistorySourceException(Evidence.Status.NO_DATA, "Zabbix has no item " + key + " on host " + host);
        }
        JsonNode item = items.get(0);
        String itemId = item.path("itemid").asText();
        int valueType = item.path("value_type").asInt(-1);
        if (valueType != 0 && valueType != 3) {
            throw new ItemHistorySourceException(Evidence.Status.NO_DATA, "Zabbix item " + key + " on " + host
                    + " holds text (value type " + valueType + "), nothing to compare");
        }
        Duration kept = period(item.path("history").asText(""));
        boolean trends = Duration.between(start, end).compareTo(config.trendsAfter()) > 0
                || (kept != null && start.isBefore(clock.instant().minus(kept)));
        List<String> warnings = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (trends) {
            pages("trend.get", itemId, -1, start, end, times, values, warnings);
        } else {
            pages("history.get", itemId, valueType, start, end, times, values, warnings);
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        return new ItemSeries(host, key, itemId, item.path("name").asText(key), item.path("units").asText(""),
                trends ? "trend.get" : "history.get", times, v, warnings, link(itemId, start, end));
    }

    /**
     * Reads every row of the window, {@code page-size} at a time: the next page starts at the last row's clock
     * (history rows of one second are told apart by {@code ns}; trend rows are one per hour, so the next page
     * starts after it).
     */
    private void pages(String method, String itemId, int valueType, Instant start, Instant end, List<Instant> times,
            List<Double> values, List<String> warnings) throws ItemHistorySourceException {
        boolean history = method.equals("history.get");
        long from = start.getEpochSecond();
        long lastClock = -1;
        long lastNs = -1;
        while (true) {
            ObjectNode p = json.createObjectNode();
            if (history) {
                p.put("output", "extend");
                p.put("history", valueType);
                p.put("sortfield", "clock");
                p.put("sortorder", "ASC");
            } else {
                p.putArray("output").add("itemid").add("clock").add("num").add("value_min").add("value_avg").add("value_max");
            }
            p.putArray("itemids").add(itemId);
            p.put("time_from", from);
            p.put("time_till", end.getEpochSecond());
            p.put("limit", config.pageSize());
            JsonNode rows = rpc.call(method, p);
            if (!rows.isArray()) {
                throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix " + method + " answered no list of rows");
            }
            List<JsonNode> sorted = new ArrayList<>();
            rows.forEach(sorted::add);
            sorted.sort((a, b) -> a.path("clock").asLong() != b.path("clock").asLong()
                    ? Long.compare(a.path("clock").asLong(), b.path("clock").asLong())
                    : Long.compare(a.path("ns").asLong(), b.path("ns").asLong()));
            int added = 0;
            for (JsonNode r : sorted) {
                long clock = r.path("clock").asLong();
                long ns = r.path("ns").asLong(0);
                if (clock < lastClock || (clock == lastClock && ns <= lastNs)) {
                    continue; // seen on the page before
                }
                String value = history ? r.path("value").asText() : r.path("value_avg").asText();
                try {
                    values.add(Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix " + method + " sent a value that is no number: \""
                            + value + '"');
                }
                times.add(Instant.ofEpochSecond(clock, ns));
                lastClock = clock;
                lastNs = ns;
                added++;
            }
            if (times.size() >= config.maxSamples()) {
                warnings.add("stopped after " + times.size() + " samples (rootcause.sources.items.max-samples); later ones not read");
                return;
            }
            if (rows.size() < config.pageSize()) {
                return;
            }
            if (added == 0) {
                throw new ItemHistorySourceException(Evidence.Status.ERROR, "Zabbix " + method + " gave a full page of " + rows.size()
                        + " rows of one second; raise rootcause.sources.items.page-size");
            }
            from = history ? lastClock : lastClock + 1;
        }
    }

    /** The frontend's graph of the item over the window (6.0 and 7.0: history.php, times in UTC). */
    private String link(String itemId, Instant start, Instant end) {
        String base = config.url().toString().replaceAll("/+$", "");
        return base + "/history.php?action=showgraph&itemids%5B%5D=" + itemId + "&from="
                + URLEncoder.encode(FRONTEND_TIME.format(start), StandardCharsets.UTF_8) + "&to="
                + URLEncoder.encode(FRONTEND_TIME.format(end), StandardCharsets.UTF_8);
    }

    /** A Zabbix storage period ({@code 90d}, {@code 1w}, {@code 3600}); null for a user macro or anything else. */
    static Duration period(String text) {
        Matcher m = PERIOD.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofSeconds(n);
        };
    }
}
