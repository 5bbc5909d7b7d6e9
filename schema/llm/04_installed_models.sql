-- Model files present on a local server.

CREATE TABLE llm.installed_models (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    server_id       uuid NOT NULL REFERENCES llm.model_servers (id) ON DELETE CASCADE,
    model_id        uuid REFERENCES llm.models (id) ON DELETE SET NULL,
    model_name      varchar(255) NOT NULL,
    quantization    varchar(20),
    size_bytes      bigint,
    installed_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    CONSTRAINT installed_models_server_model_key UNIQUE (server_id, model_name),
    CONSTRAINT installed_models_size_check CHECK (size_bytes IS NULL OR size_bytes >= 0)
);

CREATE INDEX installed_models_model_idx ON llm.installed_models (model_id) WHERE model_id IS NOT NULL;

COMMENT ON TABLE llm.installed_models IS 'Model files installed on a local server.';
COMMENT ON COLUMN llm.installed_models.model_id IS 'The catalogued model this file provides, when known.';
COMMENT ON COLUMN llm.installed_models.quantization IS 'Quantization of the weights, e.g. q4_K_M or fp16.';
