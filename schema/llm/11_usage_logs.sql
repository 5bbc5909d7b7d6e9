-- One row per request served.

CREATE TABLE llm.usage_logs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id         varchar(255) NOT NULL,
    provider_id     uuid REFERENCES llm.providers (id) ON DELETE SET NULL,
    model_id        uuid REFERENCES llm.models (id) ON DELETE SET NULL,
    server_id       uuid REFERENCES llm.model_servers (id) ON DELETE SET NULL,
    deployment_id   uuid REFERENCES llm.model_deployments (id) ON DELETE SET NULL,
    provider        varchar(50)  NOT NULL,
    model_name      varchar(255) NOT NULL,
    source          varchar(50)  NOT NULL DEFAULT 'api',
    input_tokens    integer NOT NULL DEFAULT 0,
    output_tokens   integer NOT NULL DEFAULT 0,
    cost_usd        numeric(10,6) NOT NULL DEFAULT 0,
    latency_ms      integer,
    status_code     smallint,
    error           text,
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT usage_logs_request_id_key UNIQUE (request_id),
    CONSTRAINT usage_logs_tokens_check CHECK (input_tokens >= 0 AND output_tokens >= 0),
    CONSTRAINT usage_logs_cost_check CHECK (cost_usd >= 0),
    CONSTRAINT usage_logs_latency_check CHECK (latency_ms IS NULL OR latency_ms >= 0)
);

CREATE INDEX usage_logs_user_created_idx ON llm.usage_logs (user_id, created_at DESC);
-- Daily rollups group by the UTC day.
CREATE INDEX usage_logs_utc_day_idx ON llm.usage_logs (((created_at AT TIME ZONE 'UTC')::date), provider_id);
CREATE INDEX usage_logs_errors_idx ON llm.usage_logs (created_at) WHERE error IS NOT NULL;

COMMENT ON TABLE llm.usage_logs IS 'One row per request served, cloud or local.';
COMMENT ON COLUMN llm.usage_logs.provider IS 'Provider slug at request time, kept when the provider row is deleted.';
COMMENT ON COLUMN llm.usage_logs.source IS 'Where the request came from, e.g. api, openwebui, brigade.';
COMMENT ON COLUMN llm.usage_logs.cost_usd IS 'Cost in US dollars, after the tier markup.';
