package dev.rootcause.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The HTTP traffic of one service as the classic Prometheus client library exports it: the counter
 * {@code http_requests_total{service,code}} and the histogram {@code http_request_duration_seconds}
 * ({@code _bucket{le}}, {@code _sum}, {@code _count}), labelled {@code service="<name>"}.
 *
 * <p>History: one sample every {@link #STEP} from {@code start} to {@code end}, about {@link #MEAN_PER_STEP}
 * requests per step (±10 %), in two phases split at {@code switchAt}; each phase has its own 5xx share
 * (drawn per request, so the ratio carries binomial noise) and latency distribution (deterministic shares
 * per bucket). After {@code end}, {@link #exposition(Instant)} continues the counters at the second
 * phase's mean rate, so Prometheus can scrape the same series live.
 *
 * <p>Everything the assertions need is computed from the generated samples: {@link #errorRatio} and
 * {@link #quantile} over a time window, the way PromQL's {@code sum(rate(...))} ratio and
 * {@code histogram_quantile} would over that window.
 */
final class HttpTraffic {

    /** Sample spacing of the history (a 15 s scrape interval, common in production). */
    static final Duration STEP = Duration.ofSeconds(15);
    /** Mean requests per step: 40 requests/s. */
    static final int MEAN_PER_STEP = 600;
    /** Upper bounds of the histogram buckets, seconds (the last is +Inf). */
    static final double[] LE = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};
    /** Share of 404 answers among the non-5xx ones: a 4xx must not count as an error. */
    private static final double NOT_FOUND_SHARE = 0.01;

    /**
     * One phase of the traffic.
     *
     * @param errorShare    probability that a request is answered 5xx (half 500, half 503)
     * @param latencyShares share of requests per bucket of {@link #LE} (not cumulative; sums to 1)
     */
    record Phase(double errorShare, double[] latencyShares) {

        Phase {
            if (latencyShares.length != LE.length) {
                throw new IllegalArgumentException("latencyShares: " + LE.length + " buckets expected");
            }
        }
    }

    /** Counters after one step; every value cumulative since the start. */
    private record Point(Instant at, long ok, long notFound, long e500, long e503, long[] buckets, double sum) {

        long total() {
            return ok + notFound + e500 + e503;
        }
    }

    private final String service;
    private final Instant switchAt;
    private final Phase after;
    private final List<Point> points = new ArrayList<>();

    /**
     * @param service  the {@code service} label
     * @param start    first sample
     * @param end      last sample at or before it
     * @param switchAt where {@code before} gives way to {@code after} (e.g. a deploy)
     * @param seed     of the 5xx and volume noise, so a run can be repeated
     */
    HttpTraffic(String service, Instant start, Instant end, Instant switchAt, Phase before, Phase after, long seed) {
        this.service = service;
        this.switchAt = switchAt;
        this.after = after;
        Random random = new Random(seed);
        long ok = 0, notFound = 0, e500 = 0, e503 = 0;
        long[] buckets = new long[LE.length];
        double sum = 0;
        for (Instant t = start; !t.isAfter(end); t = t.plus(STEP)) {
            Phase p = t.isAfter(switchAt) ? after : before;
            int n = MEAN_PER_STEP + random.nextInt(MEAN_PER_STEP / 5 + 1) - MEAN_PER_STEP / 10;
            int errors = 0;
            int nf = 0;
            for (int i = 0; i < n; i++) {
                if (random.nextDouble() < p.errorShare()) {
                    errors++;
                } else if (random.nextDouble() < NOT_FOUND_SHARE) {
                    nf++;
                }
            }
            e500 += errors / 2;
            e503 += errors - errors / 2;
            notFound += nf;
            ok += n - errors - nf;
            long[] counts = bucketCounts(n, p.latencyShares());
            for (int b = 0; b < LE.length; b++) {
                buckets[b] += counts[b];
                sum += counts[b] * midpoint(b);
            }
            points.add(new Point(t, ok, notFound, e500, e503, buckets.clone(), sum));
        }
    }

    String service() {
        return service;
    }

    Instant switchAt() {
        return switchAt;
    }

    /** Requests of one step split over the buckets by the phase's shares (largest remainder, so they sum to n). */
    private static long[] bucketCounts(int n, double[] shares) {
        long[] counts = new long[shares.length];
        double[] rest = new double[shares.length];
        long given = 0;
        for (int b = 0; b < shares.length; b++) {
            counts[b] = (long) Math.floor(n * shares[b]);
            rest[b] = n * shares[b] - counts[b];
            given += counts[b];
        }
        while (given < n) {
            int best = 0;
            for (int b = 1; b < rest.length; b++) {
                if (rest[b] > rest[best]) {
                    best = b;
                }
            }
            counts[best]++;
            rest[best] = -1;
            given++;
        }
        return counts;
    }

    /** A representative latency of a bucket, for {@code _sum}. */
    private static double midpoint(int b) {
        double lower = b == 0 ? 0 : LE[b - 1];
        return Double.isInfinite(LE[b]) ? lower * 2 : (lower + LE[b]) / 2;
    }

    /**
     * Adds the history to a backfill: {@code http_requests_total{code}} and the histogram's {@code _bucket{le}},
     * {@code _sum} and {@code _count}, each labelled {@code service} plus {@code targetLabels}.
     *
     * @param targetLabels labels Prometheus adds when it scrapes the live endpoint (e.g. {@code job},
     *                     {@code instance}), so history and live samples are one series
     */
    void addTo(PromBackfill backfill, Map<String, String> targetLabels) {
        for (Point p : points) {
            long t = p.at().getEpochSecond();
            for (String code : List.of("200", "404", "500", "503")) {
                backfill.sample("http_requests_total", labels(targetLabels, "code", code), t, count(p, code));
            }
            for (int b = 0; b < LE.length; b++) {
                backfill.sample("http_request_duration_seconds_bucket", labels(targetLabels, "le", le(b)), t,
                        cumulative(p.buckets(), b));
            }
            backfill.sample("http_request_duration_seconds_sum", labels(targetLabels, null, null), t, p.sum());
            backfill.sample("http_request_duration_seconds_count", labels(targetLabels, null, null), t, p.total());
        }
    }

    /**
     * The service's series in the Prometheus text exposition format at {@code now}: the history's last
     * counters plus the second phase's mean rate since then.
     */
    String exposition(Instant now) {
        Point last = points.get(points.size() - 1);
        double perSecond = (double) MEAN_PER_STEP / STEP.toSeconds();
        double n = Math.max(0, Duration.between(last.at(), now).toMillis() / 1000.0) * perSecond;
        double errors = n * after.errorShare();
        double nf = (n - errors) * NOT_FOUND_SHARE;
        StringBuilder out = new StringBuilder();
        String l = "service=\"" + service + "\"";
        line(out, "http_requests_total", l + ",code=\"200\"", last.ok() + n - errors - nf);
        line(out, "http_requests_total", l + ",code=\"404\"", last.notFound() + nf);
        line(out, "http_requests_total", l + ",code=\"500\"", last.e500() + errors / 2);
        line(out, "http_requests_total", l + ",code=\"503\"", last.e503() + errors / 2);
        double cumulative = 0;
        double sum = last.sum();
        for (int b = 0; b < LE.length; b++) {
            cumulative += n * after.latencyShares()[b];
            sum += n * after.latencyShares()[b] * midpoint(b);
            line(out, "http_request_duration_seconds_bucket", l + ",le=\"" + le(b) + "\"", cumulative(last.buckets(), b) + cumulative);
        }
        line(out, "http_request_duration_seconds_sum", l, sum);
        line(out, "http_request_duration_seconds_count", l, last.total() + n);
        return out.toString();
    }

    /** 5xx share of the requests answered in (from, to]: what {@code sum(rate(5xx)) / sum(rate(all))} estimates. */
    double errorRatio(Instant from, Instant to) {
        Point a = at(from);
        Point b = at(to);
        return (double) (b.e500() + b.e503() - a.e500() - a.e503()) / (b.total() - a.total());
    }

    /**
     * The {@code q} quantile of the latency in (from, to], seconds, by {@code histogram_quantile}'s rule: find
     * the bucket holding rank q × count and interpolate linearly inside it (documented in the Prometheus
     * querying functions reference; the lowest bucket starts at 0).
     */
    double quantile(double q, Instant from, Instant to) {
        Point a = at(from);
        Point b = at(to);
        double total = b.total() - a.total();
        double rank = q * total;
        double below = 0;
        for (int i = 0; i < LE.length; i++) {
            double upTo = cumulative(b.buckets(), i) - cumulative(a.buckets(), i);
            if (upTo >= rank) {
                if (Double.isInfinite(LE[i])) {
                    return LE[i - 1];
                }
                double lower = i == 0 ? 0 : LE[i - 1];
                return lower + (LE[i] - lower) * (rank - below) / (upTo - below);
            }
            below = upTo;
        }
        throw new IllegalStateException("no bucket holds rank " + rank);
    }

    /** The last point at or before t. */
    private Point at(Instant t) {
        Point found = null;
        for (Point p : points) {
            if (p.at().isAfter(t)) {
                break;
            }
            found = p;
        }
        if (found == null) {
            throw new IllegalArgumentException(t + " is before the history of " + service);
        }
        return found;
    }

    private Map<String, String> labels(Map<String, String> targetLabels, String name, String value) {
        Map<String, String> labels = new HashMap<>(targetLabels);
        labels.put("service", service);
        if (name != null) {
            labels.put(name, value);
        }
        return labels;
    }

    private static long count(Point p, String code) {
        return switch (code) {
            case "200" -> p.ok();
            case "404" -> p.notFound();
            case "500" -> p.e500();
            default -> p.e503();
        };
    }

    private static long cumulative(long[] buckets, int upTo) {
        long c = 0;
        for (int i = 0; i <= upTo; i++) {
            c += buckets[i];
        }
        return c;
    }

    private static String le(int b) {
        return Double.isInfinite(LE[b]) ? "+Inf" : String.valueOf(LE[b]);
    }

    private static void line(StringBuilder out, String name, String labels, double value) {
        out.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6f", v);
    }
}
