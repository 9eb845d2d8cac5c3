package dev.rootcause.incident;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the incident store answers; reports deliveries waiting and parked. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    private final Database db;
    private final DeliveryLog deliveries;

    StoreReadiness(Database db, DeliveryLog deliveries) {
        this.db = db;
        this.deliveries = deliveries;
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
                    .withData("failedDeliveries", deliveries.count("failed")).build();
        } catch (java.sql.SQLException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
