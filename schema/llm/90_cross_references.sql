-- References that close a cycle (providers -> models -> providers): declared after both tables.

ALTER TABLE llm.providers
    ADD CONSTRAINT providers_default_model_fk FOREIGN KEY (default_model_id)
        REFERENCES llm.models (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
