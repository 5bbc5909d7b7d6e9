           ) AS definition
    FROM pg_collation co
    JOIN ns n ON n.oid = co.collnamespace
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_collation'::regclass AND d.objid = co.oid AND d.deptype IN ('e', 'i')
    )
) r
ORDER BY r.name
