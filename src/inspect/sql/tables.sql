-- Ordinary and partitioned tables in scope that no extension created. A partition names its parent and
-- bound; `inherits` lists INHERITS parents (never a partition's parent) in inhseqno order.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', c.relname) AS name,
           CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
           CASE WHEN c.relispartition THEN (
               SELECT jsonb_build_object(
                          'parent', jsonb_build_object('schema', pn.nspname, 'name', p.relname),
                          'bound', pg_get_expr(c.relpartbound, c.oid)
                      )
               FROM pg_inherits i
               JOIN pg_class p ON p.oid = i.inhparent
               JOIN pg_namespace pn ON pn.oid = p.relnamespace
               WHERE i.inhrelid = c.oid
           ) END AS partition_of,
           ARRAY(
               SELECT jsonb_build_object('schema', pn.nspname, 'name', p.relname)
               FROM pg_inherits i
               JOIN pg_class p ON p.oid = i.inhparent
               JOIN pg_namespace pn ON pn.oid = p.relnamespace
               WHERE i.inhrelid = c.oid AND NOT c.relispartition
               ORDER BY i.inhseqno
           ) AS inherits,
           c.relpersistence = 'u' AS unlogged,
           c.relrowsecurity AS rls_enabled,
           c.relforcerowsecurity AS rls_forced,
           obj_description(c.oid, 'pg_class') AS comment
    FROM pg_class c
    JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
) r
ORDER BY r.name
