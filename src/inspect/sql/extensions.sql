-- Installed extensions (database-wide objects: their schema is an attribute, not a scope).
SELECT to_jsonb(r)::text
FROM (
    SELECT e.extname AS name,
           n.nspname AS schema,
           e.extversion AS version
    FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace
) r
ORDER BY r.name
