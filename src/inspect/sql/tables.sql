-- Ordinary and partitioned tables in scope that no extension created. A partition names its parent and
-- bound; `inherits` lists INHERITS parents (never a partition's parent) in inhseqno order; `options` the
-- storage parameters, sorted; `replica_identity` is null for the default.
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
           ARRAY(SELECT o FROM unnest(coalesce(c.reloptions, '{}')) o ORDER BY o) AS options,
           CASE c.relreplident
               WHEN 'f' THEN '"full"'::jsonb
               WHEN 'n' THEN '"nothing"'::jsonb
               WHEN 'i' THEN (
                   SELECT jsonb_build_object('index', ic.relname)
                   FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                   WHERE x.indrelid = c.oid AND x.indisreplident
               )
           END AS replica_identity,
           dsc.description AS comment
    FROM pg_class c
    JOIN ns n ON n.oid = c.relnamespace
    -- What obj_description() returns, joined rather than called once per table.
    LEFT JOIN pg_description dsc ON dsc.objoid = c.oid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
    WHERE c.relkind IN ('r', 'p')
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
) r
ORDER BY r.name
