package dev.rootcause.report;

import dev.rootcause.diagnosis.Diagnosis;
import dev.rootcause.diagnosis.Evidence;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The key series of a diagnosis as a PNG (JFreeChart, headless): the series of the first metric evidence
 * that has data (the root cause's cited evidence first), with the alert start and, when a change event
 * was found, the change time marked as vertical lines.
 */
public final class ReportChart {

    /** Pixels. */
    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** Series drawn at most; more would be unreadable. */
    static final int MAX_SERIES = 5;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ReportChart() {
    }

    /** The chart, or empty when no evidence carries a series with points. */
    public static Optional<byte[]> render(Diagnosis d) {
        Optional<Evidence> key = keyEvidence(d);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Evidence e = key.get();
        TimeSeriesCollection data = new TimeSeriesCollection();
        int n = 0;
        for (Evidence.Recorded r : e.recorded()) {
            for (Map<String, Object> s : r.series()) {
                if (n++ >= MAX_SERIES) {
                    break;
                }
                TimeSeries ts = new TimeSeries(label(s.get("metric"), n));
                if (s.get("values") instanceof List<?> points) {
                    for (Object p : points) {
                        if (p instanceof List<?> pair && pair.size() == 2) {
                            double t = ((Number) pair.get(0)).doubleValue();
                            double v = parse(String.valueOf(pair.get(1)));
                            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                                ts.addOrUpdate(new FixedMillisecond((long) (t * 1000)), v);
                            }
                        }
                    }
                }
                data.addSeries(ts);
            }
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(e.step() + " (" + e.source() + ")", "time (UTC)", "value", data,
                data.getSeriesCount() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        mark(plot, d.alert().startsAt(), d.alert().onDemand() ? "window start" : "alert start", new Color(0xD32F2F));
        changeTime(d).ifPresent(t -> mark(plot, t, "change", new Color(0x1976D2)));
        try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
            ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
            return Optional.of(png.toByteArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Optional<Evidence> keyEvidence(Diagnosis d) {
        List<String> cited = d.rootCause() == null ? List.of() : d.findings().stream()
                .filter(f -> f.rule().equals(d.rootCause().rule()) && f.id().equals(d.rootCause().finding()))
                .flatMap(f -> f.cites().stream()).toList();
        return d.evidence().stream().filter(ReportChart::hasPoints)
                .sorted((a, b) -> Boolean.compare(!cited.contains(a.step()), !cited.contains(b.step())))
                .findFirst();
    }

    private static boolean hasPoints(Evidence e) {
        return e.recorded().stream().flatMap(r -> r.series().stream())
                .anyMatch(s -> s.get("values") instanceof List<?> l && !l.isEmpty());
    }

    /** The time of a change event found by the diagnosis ({@code time} of change evidence), if any. */
    static Optional<Instant> changeTime(Diagnosis d) {
        for (Evidence e : d.evidence()) {
            if ("change".equals(e.kind()) && e.ok()) {
                Object t = e.values().get("time");
                try {
                    if (t instanceof Number num) {
                        return Optional.of(Instant.ofEpochMilli((long) (num.doubleValue() * 1000)));
                    }
                    if (t != null) {
                        return Optional.of(Instant.parse(String.valueOf(t)));
                    }
                } catch (RuntimeException ignored) {
                    // an unreadable time is left unmarked rather than failing the chart
                }
            }
        }
        return Optional.empty();
    }

    private static void mark(XYPlot plot, Instant at, String label, Color color) {
        if (at == null) {
            return;
        }
        ValueMarker marker = new ValueMarker(Date.from(at).getTime(), color, new BasicStroke(2f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(marker);
    }

    private static String label(Object metric, int n) {
        String text = metric instanceof Map<?, ?> m && !m.isEmpty() ? m.toString() : "series " + n;
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    private static double parse(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
