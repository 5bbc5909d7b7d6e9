-- Schemas listed in accrete.toml [external] ($1 schemas and $2 names, pairwise, the same here), as the
-- statement that makes their stub: the schema, which declared objects are created in (never its owner or
-- privileges: those are someone else's).
SELECT to_jsonb(r)::text
FROM (
    SELECT w.schema, w.name, ARRAY[format('CREATE SCHEMA IF NOT EXISTS %I', n.nspname)] AS statements
    FROM unnest($1::text[], $2::text[]) AS w(schema, name)
    JOIN pg_namespace n ON n.nspname = w.schema
) r
