-- Daily rollup of usage_logs, for dashboards and billing.

CREATE TABLE llm.daily_cost_summary (
    day             date NOT NULL,
    user_id         varchar(255) NOT NULL,
    provider_id     uuid NOT NULL REFERENCES llm.providers (id) ON DELETE CASCADE,
    model_name      varchar(255) NOT NULL,
    request_count   integer NOT NULL DEFAULT 0,
    input_tokens    bigint  NOT NULL DEFAULT 0,
    output_tokens   bigint  NOT NULL DEFAULT 0,
    cost_usd        numeric(14,6) NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (day, user_id, provider_id, model_name),
    CONSTRAINT daily_cost_summary_counts_check CHECK (request_count >= 0 AND input_tokens >= 0 AND output_tokens >= 0)
);

CREATE INDEX daily_cost_summary_provider_day_idx ON llm.daily_cost_summary (provider_id, day);

COMMENT ON TABLE llm.daily_cost_summary IS 'Usage and cost per UTC day, user, provider and model.';
