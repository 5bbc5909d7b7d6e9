-- Per-model grants to users, roles and organizations, beyond what their tier allows.

CREATE TABLE llm.model_permissions (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id                uuid NOT NULL REFERENCES llm.models (id) ON DELETE CASCADE,
    subject_kind            llm.permission_subject NOT NULL,
    subject_id              varchar(255) NOT NULL,
    allowed                 boolean NOT NULL DEFAULT true,
    max_requests_per_day    integer,
    max_tokens_per_day      bigint,
    expires_at              timestamptz,
    granted_by              varchar(255) NOT NULL,
    granted_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT model_permissions_subject_key UNIQUE (model_id, subject_kind, subject_id),
    CONSTRAINT model_permissions_limits_check CHECK (
        (max_requests_per_day IS NULL OR max_requests_per_day >= 0)
        AND (max_tokens_per_day IS NULL OR max_tokens_per_day >= 0)
    )
);

CREATE INDEX model_permissions_subject_idx ON llm.model_permissions (subject_kind, subject_id);

COMMENT ON TABLE llm.model_permissions IS 'Explicit allow or deny of a model for a user, role or organization.';
COMMENT ON COLUMN llm.model_permissions.subject_id IS 'User id, role name or organization id, depending on subject_kind.';
COMMENT ON COLUMN llm.model_permissions.expires_at IS 'The grant stops applying at this time; NULL for no end.';
