package dev.rootcause.incident;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns stored deliveries into incidents, one at a time and in order of receipt, on a single
 * background thread. Intake {@link #wake() wakes} it after each accepted body; a scheduled poll and
 * the start-up pass pick up whatever was stored but not processed (after a crash, or by an
 * intake-only replica). A delivery that fails stays stored and is retried, then parked as
 * {@code failed}: it is never dropped.
 */
@ApplicationScoped
public class DeliveryProcessor {

    private static final Logger LOG = Logger.getLogger(DeliveryProcessor.class);
    private static final int BATCH = 50;

    private final DeliveryLog deliveries;
    private final IncidentService incidents;
    private final NotificationDecoder decoder;
    private final IncidentConfig config;
    private final DiagnosisRunner diagnoses;
    private final Counter processed;
    private final Counter failed;
    private final BackgroundPass worker = new BackgroundPass("rootcause-deliveries", this::drain);

    DeliveryProcessor(DeliveryLog deliveries, IncidentService incidents, NotificationDecoder decoder,
            IncidentConfig config, DiagnosisRunner diagnoses, MeterRegistry meters) {
        this.diagnoses = diagnoses;
        this.deliveries = deliveries;
        this.incidents = incidents;
        this.decoder = decoder;
        this.config = config;
        this.processed = meters.counter("rootcause.deliveries.processed");
        this.failed = meters.counter("rootcause.deliveries.failed.attempts");
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.processingEnabled()) {
            LOG.warn("rootcause.incidents.processing-enabled=false: accepted alerts are stored but not processed here");
        }
        wake();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        worker.close();
    }

    @Scheduled(every = "${rootcause.incidents.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** Asks for a pass over the pending deliveries; returns at once. Passes never overlap. */
    public void wake() {
        if (config.processingEnabled()) {
            worker.wake();
        }
    }

    private void drain() {
        try {
            List<Delivery> batch;
            do {
                batch = deliveries.pending(BATCH);
                batch.forEach(this::process);
                if (!batch.isEmpty()) {
                    diagnoses.wake();
                }
            } while (batch.size() == BATCH);
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "reading pending deliveries failed; retrying in %s", config.pollInterval());
        }
    }

    private void process(Delivery delivery) {
        try {
            incidents.apply(delivery.id(), decoder.decode(delivery.source(), delivery.body()));
            processed.increment();
        } catch (Exception e) {
            failed.increment();
            try {
                boolean parked = deliveries.markAttemptFailed(delivery, String.valueOf(e));
                LOG.errorf(e, "processing delivery %d failed (attempt %d)%s", delivery.id(), delivery.attempts() + 1,
                        parked ? "; parked as failed, body kept in the delivery table" : "; will retry");
            } catch (SQLException store) {
                LOG.errorf(store, "recording the failure of delivery %d failed; it stays pending", delivery.id());
            }
        }
    }
}
