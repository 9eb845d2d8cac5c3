package dev.rootcause.incident.pipeline;

import dev.rootcause.incident.ClaimLostException;
import dev.rootcause.incident.Delivery;
import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.IncidentConfig;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.Transactions;
import dev.rootcause.support.BackgroundWorker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns stored deliveries into incidents, in order of receipt, on a single background thread; the
 * deliveries claimed in one pass are applied in few transactions ({@link #applyTogether}). Intake {@link #wake() wakes} it after each accepted body; a scheduled poll and
 * the start-up pass pick up whatever was stored but not processed (after a crash, or by another replica).
 * Deliveries are {@link DeliveryRepository#claim claimed}, never just read: any number of replicas on one
 * PostgreSQL store run this, each delivery is applied by one of them, two deliveries of a group in order,
 * and a replica that dies holding claims has them taken over after {@code rootcause.incidents.lease}.
 * A delivery that fails stays stored and is retried, then parked as {@code failed}: it is never dropped.
 */
@ApplicationScoped
public class DeliveryProcessor {

    private static final Logger LOG = Logger.getLogger(DeliveryProcessor.class);
    private static final int BATCH = 50;
    /** Most body bytes applied in one transaction (1 MiB): keeps a chunk well inside the transaction timeout. */
    static final long CHUNK_BYTES = 1L << 20;

    private final DeliveryRepository deliveries;
    private final Transactions transactions;
    private final IncidentService incidents;
    private final NotificationDecoder decoder;
    private final IncidentConfig config;
    private final DiagnosisRunner diagnoses;
    private final Counter processed;
    private final Counter failed;
    private final BackgroundWorker worker = new BackgroundWorker("rootcause-deliveries", LOG, "reading pending deliveries",
            this::pollInterval, this::drain);

    DeliveryProcessor(DeliveryRepository deliveries, Transactions transactions, IncidentService incidents,
            NotificationDecoder decoder, IncidentConfig config, DiagnosisRunner diagnoses, MeterRegistry meters) {
        this.transactions = transactions;
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

    /** For the worker's failure line; a method because field initialisers may not read {@code config}. */
    private Duration pollInterval() {
        return config.pollInterval();
    }

    /** Asks for a pass over the pending deliveries; returns at once. Passes never overlap. */
    public void wake() {
        if (config.processingEnabled()) {
            worker.wake();
        }
    }

    /**
     * Claims and applies until nothing is claimable or a pass applied nothing (only failures: they are
     * retried on the next wake). A claim takes the oldest pending delivery of each group, so a group's
     * next delivery comes in the following pass.
     */
    private void drain() {
        int applied;
        do {
            List<Delivery> batch = deliveries.claim(BATCH, config.lease());
            applied = 0;
            for (List<Delivery> chunk : chunks(batch)) {
                applied += applyTogether(chunk);
            }
            if (applied > 0) {
                diagnoses.wake();
            }
        } while (applied > 0);
    }

    /** Consecutive deliveries of at most {@link #CHUNK_BYTES} bytes together (a bigger one alone). */
    static List<List<Delivery>> chunks(List<Delivery> batch) {
        List<List<Delivery>> out = new ArrayList<>();
        List<Delivery> chunk = new ArrayList<>();
        long bytes = 0;
        for (Delivery d : batch) {
            if (!chunk.isEmpty() && bytes + d.body().length > CHUNK_BYTES) {
                out.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(d);
            bytes += d.body().length;
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }

    /**
     * Applies the deliveries in one transaction (one commit for many small deliveries: the commit, not
     * the statements, is most of the cost on H2 and PostgreSQL alike). If any of them fails, that
     * transaction is rolled back and each is applied in its own, so one bad delivery delays the
     * others of its chunk by a retry but never fails them.
     */
    private int applyTogether(List<Delivery> chunk) {
        if (chunk.size() > 1) {
            try {
                transactions.inNewTransaction(() -> {
                    for (Delivery d : chunk) {
                        incidents.apply(d, decoder.decode(d.source(), d.body()));
                    }
                });
                processed.increment(chunk.size());
                return chunk.size();
            } catch (RuntimeException e) {
                LOG.debugf(e, "applying %d deliveries together failed; applying them one at a time", chunk.size());
            }
        }
        int applied = 0;
        for (Delivery d : chunk) {
            applied += process(d) ? 1 : 0;
        }
        return applied;
    }

    /** @return true when the delivery was applied */
    private boolean process(Delivery delivery) {
        try {
            incidents.apply(delivery, decoder.decode(delivery.source(), delivery.body()));
            processed.increment();
            return true;
        } catch (ClaimLostException lost) {
            // its lease ran out (this replica was paused) and another replica has it: nothing was applied here
            LOG.infof("delivery %d passed to another replica (lease %s ran out): %s", delivery.id(), config.lease(), lost.getMessage());
            return false;
        } catch (Exception e) {
            failed.increment();
            try {
                boolean parked = deliveries.markAttemptFailed(delivery, String.valueOf(e));
                LOG.errorf(e, "processing delivery %d failed (attempt %d)%s", delivery.id(), delivery.attempts() + 1,
                        parked ? "; parked as failed, body kept in the delivery table" : "; will retry");
            } catch (StoreException store) {
                LOG.errorf(store, "recording the failure of delivery %d failed; it stays pending", delivery.id());
            }
            return false;
        }
    }
}
