-- The two schemas of the example: management tables in llm, the audit trail apart in audit, so that
-- grants and retention can differ.

CREATE SCHEMA llm;
COMMENT ON SCHEMA llm IS 'LLM management: cloud providers, models, local model servers, deployments, access rules, usage and billing.';

CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'Append-only audit trail of administrative actions.';
