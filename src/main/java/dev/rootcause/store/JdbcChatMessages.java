package dev.rootcause.store;

import dev.rootcause.incident.StoreException;
import dev.rootcause.incident.effect.ChatMessages;
import dev.rootcause.incident.effect.ChatPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The {@code chat_message} table (each incident's chat message and thread, once posted) and {@code chat_interaction}. */
@ApplicationScoped
public class JdbcChatMessages implements ChatMessages {

    private final Database db;
    private final AtomicLong taken = new AtomicLong();

    JdbcChatMessages(Database db) {
        this.db = db;
    }

    @Override
    public Optional<ChatPublisher.ChatRef> find(long incidentId) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT channel_id, message_id, thread_id FROM chat_message WHERE incident_id = ?")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ChatPublisher.ChatRef(rs.getString(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Joins the caller's transaction. */
    @Override
    public void save(long incidentId, ChatPublisher.ChatRef ref, Instant at) {
        if (find(incidentId).isEmpty()) {
            try {
                db.update("INSERT INTO chat_message (incident_id, channel_id, message_id, thread_id, created_at) VALUES (?, ?, ?, ?, ?)",
                        incidentId, ref.channelId(), ref.messageId(), ref.threadId(), Database.utc(at));
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        }
    }

    @Override
    public boolean take(String interactionId, Instant at) {
        try {
            if (taken.incrementAndGet() % 1000 == 0) {
                db.update("DELETE FROM chat_interaction WHERE received_at < ?", Database.utc(at.minus(Duration.ofDays(1))));
            }
            // the primary key decides between replicas: ON CONFLICT DO NOTHING (PostgreSQL, H2 in PostgreSQL mode)
            return db.update("INSERT INTO chat_interaction (id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    interactionId, Database.utc(at)) == 1;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
