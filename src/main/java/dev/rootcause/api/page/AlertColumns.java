package dev.rootcause.api.page;

import dev.rootcause.incident.Alert;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labels that tell a group's alerts apart: those with more than one value among them (a missing label counts
 * as a value), the most varied first, at most {@link #MAX}. Labels every alert shares are the group's, shown once
 * with the report.
 */
final class AlertColumns {

    /** Columns shown; more would not fit a page's width. */
    static final int MAX = 4;

    private AlertColumns() {
    }

    /** The varying labels' names, most distinct values first, then by name. */
    static List<String> of(List<Alert> alerts) {
        Map<String, Set<String>> values = new HashMap<>();
        alerts.forEach(a -> a.labels().keySet().forEach(k -> values.putIfAbsent(k, new HashSet<>())));
        for (Alert a : alerts) {
            values.forEach((k, seen) -> seen.add(a.labels().getOrDefault(k, "")));
        }
        List<String> varying = new ArrayList<>();
        values.forEach((k, seen) -> {
            if (seen.size() > 1) {
                varying.add(k);
            }
        });
        varying.sort(Comparator.comparingInt((String k) -> -values.get(k).size()).thenComparing(Comparator.naturalOrder()));
        return varying.subList(0, Math.min(MAX, varying.size()));
    }
}
