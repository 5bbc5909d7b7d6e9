           ) AS definition
    FROM pg_ts_config cf
    JOIN ns n ON n.oid = cf.cfgnamespace
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_ts_config'::regclass AND d.objid = cf.oid AND d.deptype IN ('e', 'i')
    )
) r
ORDER BY r.name
