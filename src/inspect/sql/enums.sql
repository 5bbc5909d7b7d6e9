-- Enum types in scope, labels in sort order.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', t.typname) AS name,
           ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
               AS labels,
           obj_description(t.oid, 'pg_type') AS comment
    FROM pg_type t
    JOIN ns n ON n.oid = t.typnamespace
    WHERE t.typtype = 'e'
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
      )
) r
ORDER BY r.name
