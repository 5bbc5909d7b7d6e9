-- Schemas in scope that no extension created.
SELECT to_jsonb(r)::text
FROM (
    SELECT n.nspname AS name,
           obj_description(n.oid, 'pg_namespace') AS comment
    FROM ns n
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e'
    )
) r
ORDER BY r.name
