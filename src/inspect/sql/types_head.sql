-- Domains, range types and standalone composite types in scope that no extension created, each with the
-- CREATE statement that makes it (built from the catalog by type_definition.sql, which plan guards reuse
-- to compare a type with its planned definition).
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', t.typname) AS name,
           CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range' ELSE 'composite' END AS kind,
           obj_description(t.oid, 'pg_type') AS comment,
           (
