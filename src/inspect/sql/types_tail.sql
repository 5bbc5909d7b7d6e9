           ) AS definition
    FROM pg_type t
    JOIN ns n ON n.oid = t.typnamespace
    LEFT JOIN pg_class tc ON tc.oid = t.typrelid
    WHERE (t.typtype IN ('d', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c'))
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
      )
) r
ORDER BY r.name
