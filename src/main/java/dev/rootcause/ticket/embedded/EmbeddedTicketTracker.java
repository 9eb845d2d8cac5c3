package dev.rootcause.ticket.embedded;

import dev.rootcause.incident.Incident;
import dev.rootcause.incident.IncidentLinks;
import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.effect.EmbeddedTickets;
import dev.rootcause.incident.effect.TicketTracker;
import dev.rootcause.report.Report;
import dev.rootcause.report.TextCut;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The default ticket tracker: tickets kept in the incident store ({@code ticket} table), keyed
 * {@code RC-<n>}, one per incident (a unique constraint), listed at {@code GET /api/v1/tickets}; the URL handed to
 * chat is absolute with {@code rootcause.external-url}.
 * The tables are this tracker's own, so it reads them with JDBC itself, on the incident store's active
 * datasource (the one {@code store.Database} uses); connections join the caller's JTA transaction.
 */
@ApplicationScoped
@LookupIfProperty(name = "rootcause.tickets.kind", stringValue = "embedded", lookupIfMissing = true)
public class EmbeddedTicketTracker implements TicketTracker, EmbeddedTickets {

    /** Ticket titles are cut here, as Jira's summary limit (255) would cut them. */
    static final int MAX_TITLE = 255;

    private final AgroalDataSource db;
    private final Clock clock;
    private final IncidentLinks links;

    EmbeddedTicketTracker(@Any InjectableInstance<AgroalDataSource> dataSources, Clock clock, IncidentLinks links) {
        this.links = links;
        this.db = dataSources.getActive(); // h2 or postgresql, whichever is active (application.properties)
        this.clock = clock;
    }

    @Override
    public TicketRef open(Incident incident, Report report, Attempt attempt) {
        try (Connection c = db.getConnection()) {
            Ticket existing = find(c, incident.id());
            if (existing != null) {
                return new TicketRef(existing.key(), links.link(existing.url()));
            }
            String title = TextCut.cut(incident.title(), MAX_TITLE, "…");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket (incident_id, title, body, status, labels,"
                    + " created_at) VALUES (?, ?, ?, 'open', ?, ?)")) {
                ps.setLong(1, incident.id());
                ps.setString(2, title);
                // the body opens with the incident page's link when it can be absolute (rootcause.external-url)
                ps.setString(3, links.absoluteIncident(incident.id()).map(u -> "[Incident page](" + u + ")\n\n").orElse("")
                        + report.markdown());
                ps.setString(4, "rootcause,rootcause-incident-" + incident.id());
                ps.setObject(5, clock.instant().atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) { // another thread opened it first: use theirs
                    throw e;
                }
            }
            Ticket created = find(c, incident.id());
            return new TicketRef(created.key(), links.link(created.url()));
        } catch (SQLException e) {
            throw new IllegalStateException("embedded ticket store: " + e.getMessage(), e);
        }
    }

    /** Stores the comment unless one with the attempt's idempotency key exists (unique constraint). */
    @Override
    public void comment(TicketRef ticket, Incident incident, String text, Attempt attempt) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_comment (ticket_id, idempotency_key, body, created_at)"
                        + " VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id(ticket));
            ps.setString(2, attempt.idempotencyKey());
            ps.setString(3, text);
            ps.setObject(4, clock.instant().atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // already stored by an earlier attempt
                throw new IllegalStateException("embedded ticket store: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close(TicketRef ticket, Incident incident, Attempt attempt) {
        setStatus(ticket, "closed");
    }

    @Override
    public void reopen(TicketRef ticket, Incident incident, Attempt attempt) {
        setStatus(ticket, "open");
    }

    private void setStatus(TicketRef ticket, String status) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE ticket SET status = ?, closed_at = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, "closed".equals(status) ? clock.instant().atOffset(ZoneOffset.UTC) : null);
            ps.setLong(3, id(ticket));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("embedded ticket store: " + e.getMessage(), e);
        }
    }

    private static long id(TicketRef ticket) {
        if (!ticket.key().matches("RC-[1-9][0-9]{0,17}")) {
            throw new IllegalStateException("not an embedded ticket key: " + ticket.key()
                    + " (was rootcause.tickets.kind changed while the incident was open?)");
        }
        return Long.parseLong(ticket.key().substring(3));
    }

    @Override
    public List<String> comments(String key) {
        try {
            List<String> out = new ArrayList<>();
            try (Connection c = db.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT body FROM ticket_comment WHERE ticket_id = ? ORDER BY id")) {
                ps.setLong(1, id(new TicketRef(key, null)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public Ticket find(String key) {
        try {
            if (!key.matches("RC-[1-9][0-9]{0,17}")) {
                return null;
            }
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                ps.setLong(1, Long.parseLong(key.substring(3)));
                List<Ticket> found = read(ps);
                return found.isEmpty() ? null : found.get(0);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public List<Ticket> list(int limit) {
        try {
            try (Connection c = db.getConnection();
                    PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                return read(ps);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static final String SELECT = "SELECT id, incident_id, title, status, labels, created_at, body FROM ticket";

    private static Ticket find(Connection c, long incidentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE incident_id = ?")) {
            ps.setLong(1, incidentId);
            List<Ticket> found = read(ps);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    private static List<Ticket> read(PreparedStatement ps) throws SQLException {
        List<Ticket> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = "RC-" + rs.getLong(1);
                out.add(new Ticket(key, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class), "/api/v1/tickets/" + key, rs.getString(7)));
            }
        }
        return out;
    }
}
