-- Several replicas on one PostgreSQL store (issue 21): work is claimed, not read.
--
-- Deliveries: a replica claims the oldest pending delivery of each group (group_key_hash, the SHA-256 of
-- the groupKey as on incident) with FOR UPDATE SKIP LOCKED and stamps a claim token and a lease; marking
-- it processed succeeds only while the token is still its own. Rows stored before this migration have
-- no group_key_hash: they are claimed in id order like any other, without the per-group order check.
ALTER TABLE delivery ADD COLUMN group_key_hash VARCHAR(64);
ALTER TABLE delivery ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE delivery ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX delivery_group_pending ON delivery (group_key_hash, status, id);

-- Diagnoses: an incident due for diagnosis is claimed the same way; the report is stored only while the
-- claim is still the replica's (a new markDue clears the claim, so a change mid-diagnosis is diagnosed anew).
ALTER TABLE incident ADD COLUMN diagnosis_token VARCHAR(36);
ALTER TABLE incident ADD COLUMN diagnosis_lease_until TIMESTAMP WITH TIME ZONE;

-- Chat interactions (button presses, slash commands) taken by a replica: Discord delivers an interaction to
-- every gateway session of the bot, and two sessions may overlap during a hand-over; the first replica to
-- insert the interaction's id answers it, the others drop their copy. Rows older than a day are pruned
-- (an interaction token is valid for 15 minutes).
CREATE TABLE chat_interaction (
    id          VARCHAR(32)  PRIMARY KEY,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX chat_interaction_received ON chat_interaction (received_at);
