-- Privileges on the objects in scope that accrete models: schemas, tables, foreign tables, views, materialized views and
-- sequences (identity and serial ones too), columns (only those with an ACL of their own), functions,
-- procedures and aggregates, enums, domains, range and composite types. Extension members are left out.
-- The ACL is normalized: NULL read as acldefault, the owner's own entries and the grantor left out, one
-- entry per (grantee, privilege) that is grantable when any grantor gave it with grant option.
, objects AS (
    SELECT 'schema' AS kind, n.nspname AS schema, NULL::text AS name, NULL::text AS "column",
           NULL::text AS signature, s.nspowner AS owner, coalesce(s.nspacl, acldefault('n', s.nspowner)) AS acl
    FROM ns n
    JOIN pg_namespace s ON s.oid = n.oid
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e'
    )
    UNION ALL
    SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END, n.nspname, c.relname, NULL, NULL,
           c.relowner, coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
    FROM pg_class c
    JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
      AND NOT EXISTS (
          SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    UNION ALL
    SELECT 'column', n.nspname, c.relname, a.attname, NULL, c.relowner, a.attacl
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN ns n ON n.oid = c.relnamespace
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
      AND NOT EXISTS (
          SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    UNION ALL
    SELECT 'function', n.nspname, p.proname, NULL, p.oid::regprocedure::text, p.proowner,
           coalesce(p.proacl, acldefault('f', p.proowner))
    FROM pg_proc p
    JOIN ns n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p', 'a')
      AND NOT EXISTS (
          SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i')
      )
    UNION ALL
    SELECT 'type', n.nspname, t.typname, NULL, NULL, t.typowner, coalesce(t.typacl, acldefault('T', t.typowner))
    FROM pg_type t
    JOIN ns n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
      AND NOT EXISTS (
          SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
      )
)
SELECT to_jsonb(r)::text
FROM (
    SELECT o.kind, o.schema, o.name, o."column", o.signature, pg_get_userbyid(o.owner) AS owner,
           coalesce((
               SELECT jsonb_agg(jsonb_build_array(e.grantee, e.privilege, e.grantable) ORDER BY e.grantee, e.privilege)
               FROM (
                   SELECT CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee) END AS grantee,
                          x.privilege_type AS privilege, bool_or(x.is_grantable) AS grantable
                   FROM aclexplode(o.acl) x
                   WHERE x.grantee <> o.owner
                   GROUP BY 1, 2
               ) e
           ), '[]'::jsonb) AS grants
    FROM objects o
) r
ORDER BY r.kind, r.schema, r.name, r."column", r.signature
