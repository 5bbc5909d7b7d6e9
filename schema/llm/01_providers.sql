-- Cloud LLM providers (OpenAI, Anthropic, OpenRouter, ...). The column names are the ones production
-- actually has: `kind` and `enabled`, never renamed from anything.

CREATE TABLE llm.providers (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug                varchar(50)  NOT NULL,
    name                varchar(100) NOT NULL,
    kind                llm.provider_kind NOT NULL,
    base_url            varchar(512),
    api_key_encrypted   text,
    api_key_source      varchar(20)  NOT NULL DEFAULT 'system',
    api_key_updated_at  timestamptz,
    enabled             boolean      NOT NULL DEFAULT true,
    priority            integer      NOT NULL DEFAULT 100,
    default_model_id    uuid,
    config              jsonb        NOT NULL DEFAULT '{}'::jsonb,
    metadata            jsonb        NOT NULL DEFAULT '{}'::jsonb,
    health_status       varchar(20)  NOT NULL DEFAULT 'unknown',
    last_health_check   timestamptz,
    created_by          varchar(255),
    created_at          timestamptz  NOT NULL DEFAULT now(),
    updated_at          timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT providers_slug_key UNIQUE (slug),
    CONSTRAINT providers_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9_-]*$'),
    CONSTRAINT providers_api_key_source_check CHECK (api_key_source IN ('system', 'byok', 'environment')),
    CONSTRAINT providers_health_status_check CHECK (health_status IN ('unknown', 'healthy', 'degraded', 'down')),
    CONSTRAINT providers_priority_check CHECK (priority BETWEEN 0 AND 1000),
    CONSTRAINT providers_config_is_object CHECK (jsonb_typeof(config) = 'object')
);

-- Case-insensitive uniqueness of display names, and the routing order of enabled providers.
CREATE UNIQUE INDEX providers_name_lower_key ON llm.providers (lower(name));
CREATE INDEX providers_enabled_priority_idx ON llm.providers (priority DESC) WHERE enabled;

COMMENT ON TABLE llm.providers IS 'Cloud LLM providers that requests can be routed to.';
COMMENT ON COLUMN llm.providers.slug IS 'Stable identifier used in model identifiers, e.g. openai in openai/gpt-4o.';
COMMENT ON COLUMN llm.providers.api_key_encrypted IS 'System API key, encrypted by the application; never stored in clear.';
COMMENT ON COLUMN llm.providers.api_key_source IS 'Where the key comes from: system (this row), byok (per user) or environment.';
COMMENT ON COLUMN llm.providers.default_model_id IS 'Model used when a request names only the provider.';
COMMENT ON COLUMN llm.providers.priority IS 'Routing order among enabled providers: higher first.';
