-- The audit trail. Append-only by convention for now; the trigger that enforces it is a kind accrete
-- does not model yet.

CREATE TABLE audit.audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor_id        varchar(255) NOT NULL,
    actor_ip        inet,
    action          varchar(50)  NOT NULL,
    resource_type   varchar(50)  NOT NULL,
    resource_id     varchar(255),
    old_values      jsonb,
    new_values      jsonb,
    details         jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_id      uuid,
    CONSTRAINT audit_log_action_format CHECK (action ~ '^[a-z][a-z_.]*$')
);

CREATE INDEX audit_log_resource_idx ON audit.audit_log (resource_type, resource_id, occurred_at DESC);
CREATE INDEX audit_log_actor_idx ON audit.audit_log (actor_id, occurred_at DESC);
CREATE INDEX audit_log_details_idx ON audit.audit_log USING gin (details jsonb_path_ops);

COMMENT ON TABLE audit.audit_log IS 'Append-only record of administrative actions.';
COMMENT ON COLUMN audit.audit_log.action IS 'Dotted lower-case action name, e.g. provider.key_rotated.';
COMMENT ON COLUMN audit.audit_log.old_values IS 'The affected row before the action, for updates and deletes.';
COMMENT ON COLUMN audit.audit_log.new_values IS 'The affected row after the action, for inserts and updates.';
