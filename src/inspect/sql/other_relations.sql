-- Relations and types in scope that are not modeled as objects of their own, with a kind word: foreign
-- tables (pg_class) and base types that are not array types (pg_type). Extension members are left out.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', c.relname) AS name,
           CASE c.relkind
               WHEN 'v' THEN 'view'
               WHEN 'm' THEN 'materialized view'
               WHEN 'f' THEN 'foreign table'
               WHEN 'c' THEN 'composite type'
           END AS kind,
           true AS relation
    FROM pg_class c
    JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind = 'f'
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    UNION ALL
    SELECT jsonb_build_object('schema', n.nspname, 'name', t.typname),
           CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' ELSE 'base type' END,
           false
    FROM pg_type t
    JOIN ns n ON n.oid = t.typnamespace
    WHERE t.typtype = 'b' AND NOT EXISTS (SELECT FROM pg_type el WHERE el.typarray = t.oid)
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
      )
) r
ORDER BY r.name, r.kind
