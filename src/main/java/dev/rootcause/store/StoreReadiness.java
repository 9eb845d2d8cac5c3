package dev.rootcause.store;

import dev.rootcause.incident.DeliveryRepository;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the incident store answers; reports deliveries waiting and parked, and effects waiting and dead. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    private final Database db;
    private final DeliveryRepository deliveries;
    private final Outbox outbox;

    StoreReadiness(Database db, DeliveryRepository deliveries, Outbox outbox) {
        this.db = db;
        this.deliveries = deliveries;
        this.outbox = outbox;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("incident-store");
        if (!db.reachable()) {
            return response.down().withData("error", "incident store unreachable").build();
        }
        try {
            return response.up().withData("database", db.productName())
                    .withData("pendingDeliveries", deliveries.count("pending"))
                    .withData("failedDeliveries", deliveries.count("failed"))
                    .withData("pendingEffects", outbox.count("pending"))
                    .withData("deadEffects", outbox.count("dead")).build();
        } catch (java.sql.SQLException | StoreException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
