-- Domains, range types and standalone composite types in scope that no extension created, each with the
-- CREATE statement that makes it (built from the catalog by type_definition.sql, which plan guards reuse
-- to compare a type with its planned definition), and for a domain its parts and for a composite type its
-- attributes, which an alteration compares one by one.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', t.typname) AS name,
           CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range' ELSE 'composite' END AS kind,
           obj_description(t.oid, 'pg_type') AS comment,
           CASE WHEN t.typtype = 'd' THEN jsonb_build_object(
               'base_type', format_type(t.typbasetype, t.typtypmod),
               'collation', CASE WHEN t.typcollation <> 0 AND t.typcollation IS DISTINCT FROM
                                      (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                                 THEN t.typcollation::regcollation::text END,
               'default', pg_get_expr(t.typdefaultbin, 0),
               'not_null', t.typnotnull,
               'checks', coalesce((
                   SELECT jsonb_object_agg(c.conname, jsonb_build_object(
                       'definition', regexp_replace(pg_get_constraintdef(c.oid), ' NOT VALID$', ''),
                       'validated', c.convalidated))
                   FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}'::jsonb))
           END AS domain,
           CASE WHEN t.typtype = 'c' THEN coalesce((
               SELECT jsonb_agg(jsonb_build_object(
                          'name', a.attname,
                          'data_type', format_type(a.atttypid, a.atttypmod),
                          'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation IS DISTINCT FROM
                                                 (SELECT at.typcollation FROM pg_type at WHERE at.oid = a.atttypid)
                                            THEN a.attcollation::regcollation::text END)
                      ORDER BY a.attnum)
               FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb)
           ELSE '[]'::jsonb END AS attributes,
           (
