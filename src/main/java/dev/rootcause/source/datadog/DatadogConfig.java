package dev.rootcause.source.datadog;

import dev.rootcause.source.GuardConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Datadog's API, under {@code rootcause.sources.datadog}: the metrics query API as metrics source
 * ({@code rootcause.sources.metrics.kind=datadog}), APM service dependencies as dependency-graph edges
 * ({@code graph=true}) and deployment events as change events ({@code events.enabled=true}). docs/datadog.md.
 */
@ConfigMapping(prefix = "rootcause.sources.datadog")
public interface DatadogConfig extends GuardConfig {

    /**
     * The Datadog site the organisation lives on, as Datadog names it: {@code datadoghq.com} (US1),
     * {@code us3.datadoghq.com}, {@code us5.datadoghq.com}, {@code datadoghq.eu}, {@code ap1.datadoghq.com},
     * {@code ddog-gov.com}. The API is {@code https://api.<site>} (docs.datadoghq.com/getting_started/site/).
     */
    @WithDefault("datadoghq.com")
    String site();

    /** The API's base URL when it is not {@code https://api.<site>} (a proxy; tests). */
    Optional<URI> url();

    /** Sent as {@code DD-API-KEY}; never logged nor shown in evidence. */
    Optional<String> apiKey();

    /** Sent as {@code DD-APPLICATION-KEY} (needs {@code timeseries_query}, {@code apm_read}, {@code events_read}); never logged. */
    Optional<String> applicationKey();

    /** The APM {@code env} tag the service map is read for (the service-dependencies API requires one), e.g. {@code prod}. */
    Optional<String> env();

    /** Per call: connect and read timeout. A query over it becomes evidence with status {@code timeout}. */
    @WithDefault("10s")
    Duration timeout();

    /** Whether the dependency graph reads Datadog APM's service dependencies ({@code GET /api/v1/service_dependencies}). */
    @WithDefault("false")
    boolean graph();

    /** Deployment events polled into the change store. */
    Events events();

    /** {@code rootcause.sources.datadog.events.*}. */
    interface Events {

        /** Whether to poll Datadog's events for deployments. */
        @WithDefault("false")
        boolean enabled();

        /** The events search query that selects deployments (Datadog event search syntax). */
        @WithDefault("tags:deployment")
        String query();

        /** How often to poll. */
        @WithDefault("1m")
        Duration interval();

        /** How far back the first poll after a start reads (later polls overlap the previous one by {@code interval}). */
        @WithDefault("2h")
        Duration lookback();

        /** Events per page ({@code page[limit]}; Datadog allows up to 1000). */
        @WithDefault("100")
        int pageLimit();

        /** Most pages read per poll; the rest waits for the next poll (it overlaps). */
        @WithDefault("20")
        int maxPages();
    }

    /** {@code https://api.<site>} unless {@link #url()} is set. */
    default URI apiUrl() {
        return url().orElseGet(() -> URI.create("https://api." + site()));
    }

    /**
     * The web app's address for links: {@code app.datadoghq.com} and {@code app.datadoghq.eu} for the two-label
     * sites, the site itself for {@code us3.datadoghq.com} and its kin (the sites table of the API docs).
     */
    default String appUrl() {
        String s = site();
        return "https://" + (s.split("\\.").length > 2 ? s : "app." + s);
    }
}
