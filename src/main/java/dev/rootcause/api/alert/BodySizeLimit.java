package dev.rootcause.api.alert;

import dev.rootcause.alert.IntakeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers {@code 413} with a message when a request announces a body (Content-Length) larger than
 * {@code rootcause.intake.max-body-size}, before any of it is read. Bodies without a Content-Length are
 * cut off at the same size by Vert.x ({@code quarkus.http.limits.max-body-size}). Counted as
 * {@code rootcause_intake_rejected_total{reason="too_large"}} ({@link IntakeRejections}).
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Runs before the access filter's routes and the REST layer. */
    static final int ROUTE_ORDER = -200;

    void install(@Observes Router router, IntakeConfig config, MeterRegistry meters) {
        long max = config.maxBodySize().asLongValue();
        router.route().order(ROUTE_ORDER).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long announced = parse(length);
            if (announced > max) {
                IntakeRejections.count(meters, ctx.normalizedPath(), "too_large");
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"error\":\"body of " + announced + " bytes exceeds rootcause.intake.max-body-size ("
                                + max + " bytes)\",\"field\":\"$\"}");
                return;
            }
            ctx.next();
        });
    }

    private static long parse(String length) {
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
