package dev.rootcause.diagnosis.step.items;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An item history answer as recorded for rule tests (family {@value ItemsCompareStep#FAMILY}, file
 * {@code zabbix.json}): one map {@code {host, key, itemId, name, units, method, samples: [[unixSeconds, nanos, value]...],
 * warnings, link}}, or {@code {status, reason}} for a failure. Times as Zabbix gives them: {@code clock} and {@code ns}.
 */
public final class ItemRecordings {

    private ItemRecordings() {
    }

    public static Evidence.Recorded of(String query, ItemHistorySource.ItemSeries s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", s.host());
        m.put("key", s.key());
        m.put("itemId", s.itemId());
        m.put("name", s.name());
        m.put("units", s.units());
        m.put("method", s.method());
        List<List<Object>> samples = new ArrayList<>();
        for (int i = 0; i < s.times().size(); i++) {
            var t = s.times().get(i);
            samples.add(List.of(t.getEpochSecond(), (long) t.getNano(), s.values()[i]));
        }
        m.put("samples", samples);
        m.put("warnings", s.warnings());
        m.put("link", s.link());
        return new Evidence.Recorded(query, List.of(m), ItemsCompareStep.FAMILY);
    }

    public static Evidence.Recorded of(String query, ItemHistorySourceException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.status().wire());
        m.put("reason", e.getMessage());
        return new Evidence.Recorded(query, List.of(m), ItemsCompareStep.FAMILY);
    }
}
