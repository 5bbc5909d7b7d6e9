-- Views (and materialized views) listed in accrete.toml [external] ($1 schemas and $2 names, pairwise), as
-- the statement that makes their stub: a view with the same column names, types and collations that
-- returns no rows. Its query is not part of the stub: the relations it reads are the target's business.
SELECT to_jsonb(r)::text
FROM (
    SELECT w.schema, w.name,
           ARRAY[format('CREATE VIEW %I.%I AS SELECT %s WHERE false', n.nspname, c.relname, coalesce((
               SELECT string_agg(
                          format('NULL::%s', format_type(a.atttypid, a.atttypmod))
                          || CASE WHEN a.attcollation <> t.typcollation
                                  THEN format(' COLLATE %I.%I', con.nspname, co.collname) ELSE '' END
                          || format(' AS %I', a.attname),
                          ', ' ORDER BY a.attnum)
               FROM pg_attribute a
               JOIN pg_type t ON t.oid = a.atttypid
               LEFT JOIN pg_collation co ON co.oid = a.attcollation
               LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           ), ''))] AS statements
    FROM unnest($1::text[], $2::text[]) AS w(schema, name)
    JOIN pg_namespace n ON n.nspname = w.schema
    JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name AND c.relkind IN ('v', 'm')
) r
