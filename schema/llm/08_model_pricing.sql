-- Price history per model.

CREATE TABLE llm.model_pricing (
    id                      serial PRIMARY KEY,
    model_id                uuid NOT NULL REFERENCES llm.models (id) ON DELETE CASCADE,
    input_usd_per_mtok      numeric(12,6) NOT NULL,
    output_usd_per_mtok     numeric(12,6) NOT NULL,
    effective_from          date NOT NULL DEFAULT CURRENT_DATE,
    effective_to            date,
    CONSTRAINT model_pricing_model_from_key UNIQUE (model_id, effective_from),
    CONSTRAINT model_pricing_prices_check CHECK (input_usd_per_mtok >= 0 AND output_usd_per_mtok >= 0),
    CONSTRAINT model_pricing_period_check CHECK (effective_to IS NULL OR effective_to > effective_from)
);

-- The price in force: one open-ended row per model.
CREATE UNIQUE INDEX model_pricing_current_key ON llm.model_pricing (model_id) WHERE effective_to IS NULL;

COMMENT ON TABLE llm.model_pricing IS 'Model prices over time, in US dollars per million tokens.';
COMMENT ON COLUMN llm.model_pricing.effective_to IS 'First day the price no longer applies; NULL for the current price.';
