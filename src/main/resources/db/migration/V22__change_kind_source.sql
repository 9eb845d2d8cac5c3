-- Issue 24: the kind of change (deploy, rollback, config, flag, infra, other) is called `kind`; `source` is now the
-- system that sent the change (github, gitlab, argocd, PagerDuty's payload.source, a CI's name), and `environment`
-- where it was deployed. Both are optional: changes stored before this have neither.
ALTER TABLE change_event RENAME COLUMN source TO kind;
ALTER TABLE change_event ADD COLUMN source VARCHAR(200);
ALTER TABLE change_event ADD COLUMN environment VARCHAR(200);
