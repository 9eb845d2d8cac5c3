-- Chat (Discord): where each incident's message lives, and chat effects that carry their own text.
-- One row per incident: its report message (channel + message id) and the thread follow-ups go to.
CREATE TABLE chat_message (
    incident_id BIGINT       NOT NULL PRIMARY KEY REFERENCES incident (id),
    channel_id  VARCHAR(32)  NOT NULL,
    message_id  VARCHAR(32)  NOT NULL,
    thread_id   VARCHAR(32),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Follow-ups (acknowledged by, resolved after, ticket created) are chat effects without a report of their
-- own: the effect carries its text.
ALTER TABLE outbox ALTER COLUMN report_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN chat_text TEXT;
