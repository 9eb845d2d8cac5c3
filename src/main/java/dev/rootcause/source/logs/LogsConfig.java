package dev.rootcause.source.logs;

import dev.rootcause.source.BackendConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The log backend, under {@code rootcause.sources.logs}: {@code kind}, the API {@code url} and the HTTP settings of {@link BackendConfig}. */
@ConfigMapping(prefix = "rootcause.sources.logs")
public interface LogsConfig extends BackendConfig {

    /** {@code loki} or {@code elasticsearch} (also OpenSearch); unset: no log backend, log steps end {@code error}. */
    Optional<String> kind();

    /**
     * Loki's {@code max_query_length} (its default: 721h). Longer windows are split into pieces strictly
     * shorter than it, since Loki rejects a range equal to or over the limit with a 400.
     */
    @WithDefault("721h")
    Duration maxQueryLength();

    /**
     * The most lines asked for in one request: Loki's {@code max_entries_limit_per_query} (default 5000);
     * for Elasticsearch at most {@code index.max_result_window} (default 10000). Larger limits are capped
     * to it and the evidence says so.
     */
    @WithDefault("5000")
    int maxEntries();

    /** Grafana base URL for explore links (e.g. {@code https://grafana.example}); unset: no links. */
    Optional<URI> uiUrl();

    /** Grafana's data source uid or name for the explore link. */
    @WithDefault("loki")
    String uiDatasource();

    /** Elasticsearch: the index or pattern searched. */
    @WithDefault("logs-*")
    String index();

    /** Elasticsearch: the timestamp field. */
    @WithDefault("@timestamp")
    String timestampField();

    /** Elasticsearch: the field holding the log line (a dotted path for nested objects). */
    @WithDefault("message")
    String messageField();
}
