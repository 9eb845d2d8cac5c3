-- Webhook bodies are stored as their UTF-8 bytes (body_utf8) rather than as text: H2 serializes a text
-- value char by char every time a commit rewrites the page that holds it, bytes are copied as they are
-- (bench/profile-intake.sh showed DataUtils.writeStringData among intake's hottest frames). Rows stored
-- before keep their text in body; a row has one or the other.
ALTER TABLE delivery ADD COLUMN body_utf8 BYTEA;
ALTER TABLE delivery ALTER COLUMN body DROP NOT NULL;
