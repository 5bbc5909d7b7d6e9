           ) AS definition
    FROM pg_ts_dict di
    JOIN ns n ON n.oid = di.dictnamespace
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_ts_dict'::regclass AND d.objid = di.oid AND d.deptype IN ('e', 'i')
    )
) r
ORDER BY r.name
