-- Routing of requests by power level (eco, balanced, precision) and tier.

CREATE TABLE llm.routing_rules (
    id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                varchar(100) NOT NULL UNIQUE,
    power_level         varchar(20)  NOT NULL,
    tier                llm.tier,
    model_id            uuid NOT NULL REFERENCES llm.models (id) ON DELETE CASCADE,
    fallback_model_id   uuid REFERENCES llm.models (id) ON DELETE SET NULL,
    weight              smallint NOT NULL DEFAULT 100,
    enabled             boolean  NOT NULL DEFAULT true,
    conditions          jsonb    NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT routing_rules_power_level_check CHECK (power_level IN ('eco', 'balanced', 'precision')),
    CONSTRAINT routing_rules_weight_check CHECK (weight BETWEEN 0 AND 1000),
    CONSTRAINT routing_rules_fallback_check CHECK (fallback_model_id IS DISTINCT FROM model_id)
);

CREATE INDEX routing_rules_lookup_idx ON llm.routing_rules (power_level, tier) WHERE enabled;

COMMENT ON TABLE llm.routing_rules IS 'Which model serves a request of a power level, per tier (NULL tier: all tiers).';
COMMENT ON COLUMN llm.routing_rules.weight IS 'Share of traffic among rules that match the same request.';
