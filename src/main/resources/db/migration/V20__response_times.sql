-- Response times (issue 23, docs/operations.md "Response times"): an incident's earliest alert startsAt, kept
-- as the minimum ever stored (incident_alert.starts_at follows the latest notification, so a reopened group's
-- alerts no longer show when the incident began). Backfilled from the alerts stored so far.
ALTER TABLE incident ADD COLUMN started_at TIMESTAMP WITH TIME ZONE;
UPDATE incident SET started_at = (SELECT MIN(a.starts_at) FROM incident_alert a WHERE a.incident_id = incident.id);

-- The store gauges on /q/metrics count incidents not resolved, per status, every scrape interval.
CREATE INDEX incident_status ON incident (status);
-- GET /api/v1/stats reads each incident's first acknowledgement and resolution from its timeline.
CREATE INDEX timeline_kind ON timeline_entry (incident_id, kind, at);
