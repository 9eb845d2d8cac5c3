-- Change events posted to POST /api/v1/changes (deploys, rollbacks, config and flag changes), keyed by the
-- caller's id so a CI job can retry the post safely; body_hash tells a retry (same body) from a conflict.
-- The verify_* columns hold a post-deploy verification: pending until due_at, then pass / fail / error
-- with the evidence as JSON.
CREATE TABLE change_event (
    id                  VARCHAR(200) PRIMARY KEY,
    body_hash           VARCHAR(64)  NOT NULL,
    service             VARCHAR(200) NOT NULL,
    version             VARCHAR(200) NOT NULL,
    previous_version    VARCHAR(200),
    commit_range        VARCHAR(400),
    author              VARCHAR(200),
    changed_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    source              VARCHAR(16)  NOT NULL,
    link                VARCHAR(2000),
    received_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    verify_status       VARCHAR(16),
    verify_requested_at TIMESTAMP WITH TIME ZONE,
    verify_due_at       TIMESTAMP WITH TIME ZONE,
    verify_decided_at   TIMESTAMP WITH TIME ZONE,
    verify_result       TEXT
);
CREATE INDEX change_event_service_time ON change_event (service, changed_at);
CREATE INDEX change_event_verify_due ON change_event (verify_status, verify_due_at);
