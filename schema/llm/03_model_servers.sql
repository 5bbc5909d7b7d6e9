-- Local inference servers (Ollama, vLLM, LM Studio, ...).

CREATE TABLE llm.model_servers (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            varchar(100) NOT NULL UNIQUE,
    kind            llm.server_kind NOT NULL,
    host            varchar(255) NOT NULL,
    port            integer      NOT NULL,
    location        varchar(100),
    gpu_ids         integer[]    NOT NULL DEFAULT '{}',
    auto_start      boolean      NOT NULL DEFAULT false,
    enabled         boolean      NOT NULL DEFAULT true,
    health_status   varchar(20)  NOT NULL DEFAULT 'unknown',
    last_seen_at    timestamptz,
    metadata        jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT model_servers_host_port_key UNIQUE (host, port),
    CONSTRAINT model_servers_port_check CHECK (port BETWEEN 1 AND 65535),
    CONSTRAINT model_servers_health_status_check CHECK (health_status IN ('unknown', 'healthy', 'degraded', 'down'))
);

COMMENT ON TABLE llm.model_servers IS 'Local inference servers that host installed models.';
COMMENT ON COLUMN llm.model_servers.gpu_ids IS 'Indexes of the GPUs the server may use; empty for CPU only.';
COMMENT ON COLUMN llm.model_servers.auto_start IS 'Start the server''s deployments when the host boots.';
