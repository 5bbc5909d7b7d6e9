-- Models offered by providers.

CREATE TABLE llm.models (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_id         uuid NOT NULL REFERENCES llm.providers (id) ON DELETE CASCADE,
    model_identifier    varchar(255) NOT NULL,
    display_name        varchar(255) NOT NULL,
    context_window      integer,
    max_output_tokens   integer,
    supports_streaming  boolean NOT NULL DEFAULT true,
    supports_tools      boolean NOT NULL DEFAULT false,
    capabilities        jsonb   NOT NULL DEFAULT '[]'::jsonb,
    enabled             boolean NOT NULL DEFAULT true,
    retired_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT models_provider_identifier_key UNIQUE (provider_id, model_identifier),
    CONSTRAINT models_context_window_check CHECK (context_window IS NULL OR context_window > 0),
    CONSTRAINT models_max_output_tokens_check CHECK (max_output_tokens IS NULL OR max_output_tokens > 0),
    CONSTRAINT models_capabilities_is_array CHECK (jsonb_typeof(capabilities) = 'array')
);

CREATE INDEX models_identifier_idx ON llm.models (model_identifier);
CREATE INDEX models_available_idx ON llm.models (provider_id) WHERE enabled AND retired_at IS NULL;
CREATE INDEX models_capabilities_idx ON llm.models USING gin (capabilities jsonb_path_ops);

COMMENT ON TABLE llm.models IS 'Models offered by a provider.';
COMMENT ON COLUMN llm.models.model_identifier IS 'Identifier as clients send it, e.g. openai/gpt-4o.';
COMMENT ON COLUMN llm.models.capabilities IS 'JSON array of capability names, e.g. ["vision", "json_mode"].';
