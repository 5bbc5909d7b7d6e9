-- Monthly invoices. Numbers come from a free-standing sequence so that they stay gap-tolerant but
-- monotonic across re-issued invoices.

CREATE SEQUENCE llm.invoice_number_seq AS bigint START WITH 100001 INCREMENT BY 1 NO CYCLE;

CREATE TABLE llm.invoices (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number              bigint NOT NULL DEFAULT nextval('llm.invoice_number_seq'),
    organization_id     varchar(255) NOT NULL,
    tier                llm.tier NOT NULL,
    period_start        date NOT NULL,
    period_end          date NOT NULL,
    total_usd           numeric(14,2) NOT NULL DEFAULT 0,
    line_items          jsonb NOT NULL DEFAULT '[]'::jsonb,
    issued_at           timestamptz,
    paid_at             timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoices_number_key UNIQUE (number),
    CONSTRAINT invoices_organization_period_key UNIQUE (organization_id, period_start),
    CONSTRAINT invoices_period_check CHECK (period_end > period_start),
    CONSTRAINT invoices_total_check CHECK (total_usd >= 0)
);

CREATE INDEX invoices_unpaid_idx ON llm.invoices (issued_at) WHERE paid_at IS NULL AND issued_at IS NOT NULL;

COMMENT ON TABLE llm.invoices IS 'Invoices per organization and billing period.';
COMMENT ON COLUMN llm.invoices.number IS 'Human-facing invoice number, from llm.invoice_number_seq.';
COMMENT ON COLUMN llm.invoices.line_items IS 'JSON array of {model, requests, tokens, usd} lines.';
