-- Views and materialized views in scope that no extension created, with PostgreSQL's own text of their
-- query and their options (reloptions: security_barrier, check_option, security_invoker), sorted.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', c.relname) AS name,
           c.relkind = 'm' AS materialized,
           pg_get_viewdef(c.oid) AS definition,
           ARRAY(SELECT o FROM unnest(coalesce(c.reloptions, '{}')) o ORDER BY o) AS options,
           obj_description(c.oid, 'pg_class') AS comment
    FROM pg_class c
    JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm')
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
) r
ORDER BY r.name
