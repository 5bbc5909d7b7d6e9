-- Enum types listed in accrete.toml [external] ($1 schemas and $2 names, pairwise), as the statement that
-- makes their stub: the same labels in the same order.
SELECT to_jsonb(r)::text
FROM (
    SELECT w.schema, w.name,
           ARRAY[format('CREATE TYPE %I.%I AS ENUM (%s)', n.nspname, t.typname, coalesce((
               SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
               FROM pg_enum e WHERE e.enumtypid = t.oid
           ), ''))] AS statements
    FROM unnest($1::text[], $2::text[]) AS w(schema, name)
    JOIN pg_namespace n ON n.nspname = w.schema
    JOIN pg_type t ON t.typnamespace = n.oid AND t.typname = w.name AND t.typtype = 'e'
) r
