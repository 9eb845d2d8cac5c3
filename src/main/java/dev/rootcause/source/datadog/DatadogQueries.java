package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.MetricsSource;
import dev.rootcause.diagnosis.port.MetricsSourceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datadog metric queries as text and as answers: filling a template's {@code $name} placeholders, telling PromQL
 * apart (it cannot be sent), and reading {@code GET /api/v1/query}'s answer into series. Public for the rule-test
 * replay, which reads recorded Datadog answers with the same code.
 */
public final class DatadogQueries {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");
    /**
     * What a value may hold to stand in a query's tag filter or as a rollup argument: Datadog tags are letters,
     * digits, {@code _ - : . /} (docs.datadoghq.com/getting_started/tagging/#define-tags); anything else (a comma,
     * a brace, a space) would change the query's meaning.
     */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.:/-]{1,200}");
    /** Constructs only PromQL has: label matchers with {@code =}/{@code =~}, range vectors, PromQL functions. */
    private static final Pattern PROMQL = Pattern.compile("=~|!~|=\\s*\"|\\[\\s*\\$?[0-9a-z_]+\\s*]|\\b(rate|irate|increase|histogram_quantile|label_replace|vector|absent)\\s*\\(");

    /** A metric query with a space aggregator, {@code sum:trace.servlet.request.hits{…}}: Datadog's, never PromQL. */
    private static final Pattern DATADOG = Pattern.compile("(?:^|[\\s(,/*+-])(avg|sum|min|max|count|p\\d{1,3}):[a-zA-Z][a-zA-Z0-9_.]*\\{");

    private DatadogQueries() {
    }

    /**
     * Fills {@code $name} placeholders from {@code vars} (longest name first, so {@code $service_value} is not read as
     * {@code $service}).
     *
     * @throws MetricsSourceException status {@code error} for a value that cannot stand in a Datadog query, or a
     *                                placeholder without a value
     */
    public static String render(String template, Map<String, String> vars) throws MetricsSourceException {
        List<String> names = new ArrayList<>(vars.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = names.stream().filter(n -> m.group(1).startsWith(n)).findFirst().orElse(null);
            if (name == null) {
                throw new MetricsSourceException(Evidence.Status.ERROR, "no value for $" + m.group(1) + " in " + template);
            }
            String value = vars.get(name);
            if (value == null || !SAFE_VALUE.matcher(value).matches()) {
                throw new MetricsSourceException(Evidence.Status.ERROR, "\"" + value + "\" cannot stand in a Datadog query for $" + name
                        + " (a tag value is letters, digits and _ - : . /)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value + m.group(1).substring(name.length())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether a query is in Datadog's language (a metric query with a space aggregator, and nothing of PromQL's). */
    public static boolean isDatadog(String query) {
        return DATADOG.matcher(query).find() && !isPromQl(query);
    }

    /** Whether a query is PromQL (label matchers, range vectors, PromQL functions), which Datadog cannot answer. */
    public static boolean isPromQl(String query) {
        return PROMQL.matcher(query).find();
    }

    /**
     * The series of a {@code GET /api/v1/query} answer. Labels are the series' {@code tag_set} ({@code "k:v"} → k = v,
     * a bare tag → itself = ""), else its {@code scope} split at commas; {@code pointlist} holds {@code [ms, value]},
     * a null value is NaN.
     *
     * @throws MetricsSourceException status {@code error} for {@code "status":"error"} (with Datadog's message) or a
     *                                body that is not an answer
     */
    public static List<MetricsSource.Series> series(JsonNode body) throws MetricsSourceException {
        if (body == null || !body.isObject()) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "Datadog answer is not a JSON object");
        }
        if ("error".equals(body.path("status").asText()) || body.hasNonNull("error") && !body.has("series")) {
            throw new MetricsSourceException(Evidence.Status.ERROR, "Datadog: " + body.path("error").asText("query failed"));
        }
        List<MetricsSource.Series> out = new ArrayList<>();
        for (JsonNode s : body.path("series")) {
            Map<String, String> labels = new LinkedHashMap<>();
            JsonNode tags = s.path("tag_set");
            if (tags.isArray() && !tags.isEmpty()) {
                tags.forEach(t -> tag(labels, t.asText()));
            } else if (!"*".equals(s.path("scope").asText("*"))) {
                for (String t : s.path("scope").asText().split(",")) {
                    tag(labels, t.strip());
                }
            }
            List<Instant> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (JsonNode p : s.path("pointlist")) {
                times.add(Instant.ofEpochMilli(p.path(0).asLong()));
                values.add(p.path(1).isNumber() ? p.path(1).asDouble() : Double.NaN);
            }
            out.add(new MetricsSource.Series(labels, times, values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    private static void tag(Map<String, String> labels, String tag) {
        if (tag.isEmpty()) {
            return;
        }
        int colon = tag.indexOf(':');
        labels.put(colon < 0 ? tag : tag.substring(0, colon), colon < 0 ? "" : tag.substring(colon + 1));
    }
}
