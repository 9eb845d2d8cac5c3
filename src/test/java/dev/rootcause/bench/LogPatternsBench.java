package dev.rootcause.bench;

import dev.rootcause.diagnosis.port.LogSource;
import dev.rootcause.diagnosis.step.logs.LogPatterns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code logs.top_patterns} grouping time for 10,000 lines of mixed shapes (JSON, logfmt, plain text with
 * stack traces; 12 patterns with numbers, UUIDs, IPs, hex ids and timestamps in them). Run with
 * bench/log-patterns.sh; prints the median and worst of 20 runs after warm-up, and the patterns found.
 */
public final class LogPatternsBench {

    public static void main(String[] args) {
        List<LogSource.Line> lines = lines(10_000, new Random(42));
        for (int i = 0; i < 5; i++) {
            LogPatterns.top(lines, 5, "client"); // warm-up
        }
        int runs = 20;
        double[] ms = new double[runs];
        List<LogPatterns.Group> groups = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            groups = LogPatterns.top(lines, Integer.MAX_VALUE, "client");
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("machine: %d cores; lines=%d patterns=%d median_ms=%.1f max_ms=%.1f%n",
                Runtime.getRuntime().availableProcessors(), lines.size(), groups.size(), ms[runs / 2], ms[runs - 1]);
        groups.forEach(g -> System.out.printf("%6d  %s%n", g.count(), g.pattern()));
        if (groups.size() != 12) {
            throw new IllegalStateException("expected the 12 generated patterns, got " + groups.size());
        }
    }

    static List<LogSource.Line> lines(int n, Random r) {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        List<LogSource.Line> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            String uuid = new java.util.UUID(r.nextLong(), r.nextLong()).toString();
            String ip = "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            String text = switch (k % 12) {
                case 0 -> "{\"level\":\"WARN\",\"msg\":\"Cache miss for key user:" + r.nextInt(1_000_000) + "\",\"client\":\"importer\"}";
                case 1 -> "level=warn msg=\"Cache miss for key session:f" + Long.toHexString(r.nextLong() | 1L << 60) + "\" client=web";
                case 2 -> "request " + uuid + " failed after " + r.nextInt(5000) + "ms";
                case 3 -> "connect to " + ip + ":" + (1024 + r.nextInt(60000)) + " refused";
                case 4 -> "java.net.SocketTimeoutException: Read timed out\n\tat x.Y.call(Y.java:" + r.nextInt(400) + ")";
                case 5 -> "2026-11-29T10:" + (10 + r.nextInt(50)) + ":00.123Z retry " + r.nextInt(5) + " of 5";
                case 6 -> "{\"level\":\"ERROR\",\"msg\":\"charge failed: upstream " + (500 + r.nextInt(4)) + " from payments\"}";
                case 7 -> "trace " + Long.toHexString(r.nextLong() | 1L << 62) + Long.toHexString(r.nextLong() | 1L << 62) + " dropped";
                case 8 -> "GET /api/v1/orders/" + r.nextInt(100000) + " 200 " + r.nextInt(900) + "ms";
                case 9 -> "pool exhausted: " + r.nextInt(64) + " of 64 connections in use";
                case 10 -> "level=info msg=\"flushed " + r.nextInt(10000) + " rows in " + r.nextInt(90) + ".5s\" client=batch";
                default -> "user " + r.nextInt(10000) + " logged in from " + ip;
            };
            out.add(new LogSource.Line(t.plusMillis(i), Map.of("app", "shop"), text));
        }
        return out;
    }
}
