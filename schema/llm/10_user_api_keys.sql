-- Keys that users bring for a provider (BYOK).

CREATE TABLE llm.user_api_keys (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         varchar(255) NOT NULL,
    provider_id     uuid NOT NULL REFERENCES llm.providers (id) ON DELETE CASCADE,
    key_encrypted   text NOT NULL,
    key_hint        varchar(8) NOT NULL,
    label           varchar(100),
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- One active key per user and provider; revoked keys are kept.
CREATE UNIQUE INDEX user_api_keys_active_key ON llm.user_api_keys (user_id, provider_id) WHERE revoked_at IS NULL;

COMMENT ON TABLE llm.user_api_keys IS 'User-supplied provider keys (bring your own key).';
COMMENT ON COLUMN llm.user_api_keys.key_hint IS 'Last characters of the key, to tell keys apart in the UI.';
