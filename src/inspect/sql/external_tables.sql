-- Tables listed in accrete.toml [external] ($1 schemas and $2 names, pairwise), as the statements that
-- make their stubs in the scratch database: the columns (type, collation where it is not the type's, NOT
-- NULL), the primary key and unique constraints, and the unique indexes a foreign key can reference
-- (no predicate, no expressions). Defaults, checks, foreign keys, triggers, policies and a partitioned
-- table's partitioning are not part of a stub. Run under the pinned empty search_path: names come out
-- qualified.
SELECT to_jsonb(r)::text
FROM (
    SELECT w.schema, w.name,
           ARRAY[format('CREATE TABLE %I.%I (%s)', n.nspname, c.relname, coalesce((
               SELECT string_agg(
                          format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                          || CASE WHEN a.attcollation <> t.typcollation
                                  THEN format(' COLLATE %I.%I', con.nspname, co.collname) ELSE '' END
                          || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                          ', ' ORDER BY a.attnum)
               FROM pg_attribute a
               JOIN pg_type t ON t.oid = a.atttypid
               LEFT JOIN pg_collation co ON co.oid = a.attcollation
               LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           ), ''))]
           || ARRAY(
               SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, k.conname,
                             pg_get_constraintdef(k.oid))
               FROM pg_constraint k
               WHERE k.conrelid = c.oid AND k.contype IN ('p', 'u')
               ORDER BY k.contype, k.conname
           )
           || ARRAY(
               SELECT pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               JOIN pg_class ic ON ic.oid = i.indexrelid
               WHERE i.indrelid = c.oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                 AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = c.oid)
               ORDER BY ic.relname
           ) AS statements
    FROM unnest($1::text[], $2::text[]) AS w(schema, name)
    JOIN pg_namespace n ON n.nspname = w.schema
    JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name AND c.relkind IN ('r', 'p', 'f')
) r
