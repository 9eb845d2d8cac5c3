package dev.rootcause.source.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.changes.ChangeRequest;
import dev.rootcause.changes.ChangeStore;
import dev.rootcause.diagnosis.port.ChangeSourceException;
import dev.rootcause.incident.StoreException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Polls Datadog's events for deployments ({@code rootcause.sources.datadog.events.query}, default
 * {@code tags:deployment}) and stores each as a change event through {@link ChangeStore}, as
 * {@code POST /api/v1/changes} would: the change id is Datadog's event id, so an event read twice (polls overlap by
 * one interval) is stored once. Pages follow {@code meta.page.after} until it is absent or a page is empty, at most
 * {@code events.max-pages} per poll. A failed poll keeps its window: the next one reads it again.
 */
@ApplicationScoped
public class DatadogDeployEvents {

    private static final Logger LOG = Logger.getLogger(DatadogDeployEvents.class);

    /**
     * What one poll did.
     *
     * @param pages   pages read
     * @param events  events read
     * @param created changes stored for the first time
     * @param skipped events that name no service, or whose id was stored with another body
     */
    public record Polled(int pages, int events, int created, int skipped) {
    }

    private final DatadogConfig config;
    private final DatadogClient client;
    private final ChangeStore changes;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Instant readUntil;

    DatadogDeployEvents(DatadogConfig config, ObjectMapper json, Clock clock, ChangeStore changes) {
        this.config = config;
        this.client = new DatadogClient(config, json, clock);
        this.changes = changes;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(every = "${rootcause.sources.datadog.events.interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.events().enabled()) {
            return;
        }
        try {
            Polled p = poll();
            if (p.created() > 0) {
                LOG.infof("Datadog deployment events: %d read, %d new change event(s)", p.events(), p.created());
            }
        } catch (ChangeSourceException | StoreException e) {
            LOG.warnf("Datadog deployment events not read (%s); the next poll reads the same window again", e.getMessage());
        }
    }

    /**
     * One poll: from the end of the last good poll less one interval (or {@code events.lookback} before now) to now.
     *
     * @throws ChangeSourceException when Datadog did not answer (status and reason as for evidence)
     * @throws StoreException        when the change store is down
     */
    public Polled poll() throws ChangeSourceException {
        Instant now = clock.instant();
        Instant from = readUntil == null ? now.minus(config.events().lookback()) : readUntil.minus(config.events().interval());
        String cursor = null;
        int pages = 0;
        int events = 0;
        int created = 0;
        int skipped = 0;
        Instant last = from;
        do {
            String after = cursor;
            JsonNode body = client.call(api -> api.events(config.events().query(), Long.toString(from.toEpochMilli()),
                    Long.toString(now.toEpochMilli()), "timestamp", config.events().pageLimit(), after), ChangeSourceException::new);
            pages++;
            for (JsonNode e : body.path("data")) {
                events++;
                Optional<ChangeRequest> change = DatadogChanges.change(e);
                if (change.isPresent() && change.get().time() != null && change.get().time().isAfter(last)) {
                    last = change.get().time();
                }
                if (change.isEmpty()) {
                    skipped++;
                    continue;
                }
                try {
                    if (changes.save(change.get(), change.get().bodyHash(json), clock.instant()).created()) {
                        created++;
                    }
                } catch (ChangeStore.Conflict c) {
                    skipped++; // edited in Datadog after we stored it: the first reading stands
                }
            }
            cursor = body.path("data").isEmpty() ? null : body.path("meta").path("page").path("after").asText(null);
        } while (cursor != null && pages < config.events().maxPages());
        // more pages than a poll reads: the next starts at the last event read (events come oldest first)
        readUntil = cursor == null ? now : last.plus(config.events().interval());
        return new Polled(pages, events, created, skipped);
    }
}
