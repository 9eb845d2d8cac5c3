package dev.rootcause.incident.effect;

import dev.rootcause.incident.Incident;
import dev.rootcause.incident.outbox.EffectRetryException;
import dev.rootcause.report.Report;
import dev.rootcause.ticket.embedded.EmbeddedTicketTracker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;

/** The embedded tracker behind a switch that makes it fail, for outbox tests (enabled per test profile). */
@Alternative
@ApplicationScoped
public class FlakyTicketTracker implements TicketTracker {

    final EmbeddedTicketTracker real;
    private volatile int failuresLeft;
    private volatile Duration retryAfter;

    FlakyTicketTracker(EmbeddedTicketTracker real) {
        this.real = real;
    }

    /** The next {@code n} calls fail; with a {@code retryAfter} they say when to come back. Called through the proxy. */
    public void failNext(int n, Duration retryAfter) {
        this.failuresLeft = n;
        this.retryAfter = retryAfter;
    }

    @Override
    public TicketRef open(Incident incident, Report report, Attempt attempt) {
        maybeFail();
        return real.open(incident, report, attempt);
    }

    @Override
    public void comment(TicketRef ticket, Incident incident, String text, Attempt attempt) {
        maybeFail();
        real.comment(ticket, incident, text, attempt);
    }

    @Override
    public void close(TicketRef ticket, Incident incident, Attempt attempt) {
        maybeFail();
        real.close(ticket, incident, attempt);
    }

    @Override
    public void reopen(TicketRef ticket, Incident incident, Attempt attempt) {
        maybeFail();
        real.reopen(ticket, incident, attempt);
    }

    private void maybeFail() {
        if (failuresLeft > 0) {
            failuresLeft--;
            if (retryAfter != null) {
                throw new EffectRetryException("tracker says 429 (test)", retryAfter);
            }
            throw new IllegalStateException("tracker down (test)");
        }
    }
}
