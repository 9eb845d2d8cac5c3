-- Responders' verdicts on a root cause (issue 20): "right" or "wrong" with what the cause actually was,
-- kept on the incident with the rule and the cause they judged (a later diagnosis may name another).
-- root_cause_rule is the rule whose finding is the latest root cause (set with root_cause), so the
-- per-rule counts (GET /api/v1/stats) can say how many of a rule's root causes nobody judged yet.
-- V15, not V7: V14 is already applied wherever intake stored bytes, and Flyway refuses an older version after it.
ALTER TABLE incident ADD COLUMN root_cause_rule VARCHAR(200);
ALTER TABLE incident ADD COLUMN feedback_verdict VARCHAR(8);
ALTER TABLE incident ADD COLUMN feedback_actual TEXT;
ALTER TABLE incident ADD COLUMN feedback_rule VARCHAR(200);
ALTER TABLE incident ADD COLUMN feedback_cause TEXT;
ALTER TABLE incident ADD COLUMN feedback_by VARCHAR(200);
ALTER TABLE incident ADD COLUMN feedback_at TIMESTAMP WITH TIME ZONE;
