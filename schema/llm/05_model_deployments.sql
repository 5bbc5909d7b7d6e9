-- Running (or starting, or failed) instances of installed models.

CREATE TABLE llm.model_deployments (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    installed_model_id  uuid NOT NULL,
    server_id           uuid NOT NULL,
    status              llm.deployment_status NOT NULL DEFAULT 'pending',
    endpoint_url        varchar(512),
    gpu_memory_mb       integer,
    max_concurrency     integer NOT NULL DEFAULT 4,
    settings            jsonb   NOT NULL DEFAULT '{}'::jsonb,
    started_at          timestamptz,
    stopped_at          timestamptz,
    last_error          text,
    created_by          varchar(255),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT model_deployments_installed_model_fk FOREIGN KEY (installed_model_id)
        REFERENCES llm.installed_models (id) ON DELETE RESTRICT,
    CONSTRAINT model_deployments_server_fk FOREIGN KEY (server_id)
        REFERENCES llm.model_servers (id) ON DELETE CASCADE,
    CONSTRAINT model_deployments_concurrency_check CHECK (max_concurrency > 0),
    CONSTRAINT model_deployments_window_check CHECK (stopped_at IS NULL OR started_at IS NULL OR stopped_at >= started_at)
);

-- At most one live deployment per installed model.
CREATE UNIQUE INDEX model_deployments_one_live_idx ON llm.model_deployments (installed_model_id)
    WHERE status IN ('pending', 'starting', 'running');
CREATE INDEX model_deployments_server_status_idx ON llm.model_deployments (server_id, status);

COMMENT ON TABLE llm.model_deployments IS 'Instances of installed models, running or not.';
COMMENT ON COLUMN llm.model_deployments.endpoint_url IS 'OpenAI-compatible endpoint of the running instance.';
COMMENT ON COLUMN llm.model_deployments.last_error IS 'Error of the last failed start, for the admin UI.';
