package dev.rootcause.diagnosis.budget;

import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.CacheSourceException;
import dev.rootcause.diagnosis.port.ChangeEvent;
import dev.rootcause.diagnosis.port.ChangeSource;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.diagnosis.port.ItemHistorySource;
import dev.rootcause.diagnosis.port.ItemHistorySourceException;
import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import dev.rootcause.diagnosis.port.SourceException;
import dev.rootcause.diagnosis.port.TraceSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ports as the steps see them: every backend query goes through {@link Metered} (the diagnosis' memo, query
 * budget and deadline, and the backend's {@link BackendGate}). What sends nothing ({@code render}, {@code link},
 * {@code describe}, {@code name}) is passed through. The prober's decorator is {@link MeteredProber}.
 */
public final class MeteredPorts {

    private MeteredPorts() {
    }

    private static List<Object> key(Object... parts) {
        return Arrays.asList(parts);
    }

    /** The metrics source, metered. */
    public static MetricsSource metrics(MetricsSource m, BackendGates gates) {
        return m == null ? null : new MetricsSource() {
            @Override
            public String render(String template, Map<String, String> vars) throws MetricsSourceException {
                return m.render(template, vars);
            }

            @Override
            public Result range(String query, Instant start, Instant end, Duration step) throws MetricsSourceException {
                return Metered.ask(gates.of(m.name()), key("range", query, start, end, step), () -> m.range(query, start, end, step),
                        MetricsSourceException::new, MetricsSourceException.class);
            }

            @Override
            public Result instant(String query, Instant at) throws MetricsSourceException {
                return Metered.ask(gates.of(m.name()), key("instant", query, at), () -> m.instant(query, at),
                        MetricsSourceException::new, MetricsSourceException.class);
            }

            @Override
            public List<String> labelValues(String label, List<String> match, Instant start, Instant end) throws MetricsSourceException {
                return Metered.ask(gates.of(m.name()), key("labels", label, List.copyOf(match), start, end),
                        () -> m.labelValues(label, match, start, end), MetricsSourceException::new, MetricsSourceException.class);
            }

            @Override
            public String link(String query, Instant start, Instant end) {
                return m.link(query, start, end);
            }

            @Override
            public String name() {
                return m.name();
            }

            @Override
            public String language() {
                return m.language();
            }
        };
    }

    /** The trace source, metered; null stays null (no trace backend). */
    public static TraceSource traces(TraceSource t, BackendGates gates) {
        return t == null ? null : new TraceSource() {
            @Override
            public List<Trace> traces(String service, Instant start, Instant end, int limit) throws SourceException {
                return Metered.ask(gates.of(t.name()), key("traces", service, start, end, limit), () -> t.traces(service, start, end, limit),
                        SourceException::new, SourceException.class);
            }

            @Override
            public String describe(String service, Instant start, Instant end, int limit) {
                return t.describe(service, start, end, limit);
            }

            @Override
            public String traceLink(String traceId) {
                return t.traceLink(traceId);
            }

            @Override
            public String name() {
                return t.name();
            }
        };
    }

    /** The log source, metered; null stays null (no log backend). */
    public static LogSource logs(LogSource l, BackendGates gates) {
        return l == null ? null : new LogSource() {
            @Override
            public String render(String template, Map<String, String> vars) throws SourceException {
                return l.render(template, vars);
            }

            @Override
            public Lines lines(String query, Instant start, Instant end, int limit) throws SourceException {
                return Metered.ask(gates.of(l.name()), key("lines", query, start, end, limit), () -> l.lines(query, start, end, limit),
                        SourceException::new, SourceException.class);
            }

            @Override
            public Count count(String query, Instant start, Instant end) throws SourceException {
                return Metered.ask(gates.of(l.name()), key("count", query, start, end), () -> l.count(query, start, end),
                        SourceException::new, SourceException.class);
            }

            @Override
            public String link(String query, Instant start, Instant end) {
                return l.link(query, start, end);
            }

            @Override
            public String name() {
                return l.name();
            }
        };
    }

    /** The cache source, metered. */
    public static CacheSource cache(CacheSource c, BackendGates gates) {
        return c == null ? null : new CacheSource() {
            @Override
            public Samples sample(String service, Duration interval) throws CacheSourceException {
                return Metered.ask(gates.of(c.name()), key("info", service, interval), () -> c.sample(service, interval),
                        CacheSourceException::new, CacheSourceException.class);
            }

            @Override
            public String describe(String service) {
                return c.describe(service);
            }

            @Override
            public String name() {
                return c.name();
            }
        };
    }

    /** The item history source, metered; null stays null (no item backend). */
    public static ItemHistorySource items(ItemHistorySource i, BackendGates gates) {
        return i == null ? null : new ItemHistorySource() {
            @Override
            public ItemSeries history(String host, String key, Instant start, Instant end) throws ItemHistorySourceException {
                return Metered.ask(gates.of(i.name()), key("items", host, key, start, end), () -> i.history(host, key, start, end),
                        ItemHistorySourceException::new, ItemHistorySourceException.class);
            }

            @Override
            public String name() {
                return i.name();
            }
        };
    }

    /** A change source, metered (its own override of the filtered lookup is kept). */
    public static ChangeSource changes(ChangeSource c, BackendGates gates) {
        return new ChangeSource() {
            @Override
            public String name() {
                return c.name();
            }

            @Override
            public List<ChangeEvent> changes(String service, Instant since, Instant until) throws ChangeSourceException {
                return Metered.ask(gates.of("changes." + c.name()), key("changes", c.name(), service, since, until),
                        () -> c.changes(service, since, until), ChangeSourceException::new, ChangeSourceException.class);
            }

            @Override
            public List<ChangeEvent> changes(String service, Instant since, Instant until, Set<String> sources)
                    throws ChangeSourceException {
                return Metered.ask(gates.of("changes." + c.name()), key("changes", c.name(), service, since, until, new TreeSet<>(sources)),
                        () -> c.changes(service, since, until, sources), ChangeSourceException::new, ChangeSourceException.class);
            }

            /** Not metered: a look-up in the source's own store, asked only after an empty answer. */
            @Override
            public boolean receives(String service) throws ChangeSourceException {
                return c.receives(service);
            }
        };
    }
}
