           ) AS definition
    FROM pg_aggregate ag
    JOIN pg_proc ap ON ap.oid = ag.aggfnoid
    JOIN ns an ON an.oid = ap.pronamespace
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = ap.oid AND d.deptype IN ('e', 'i')
    )
) r
ORDER BY r.signature
