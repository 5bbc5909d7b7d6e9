-- Sequences in scope, except identity sequences (an internal dependency on their column) and extension
-- members. Serial sequences are still listed here; the columns query names them and they are dropped then.
-- owned_by is the column of an `OWNED BY` (an auto dependency on a table column).
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', c.relname) AS name,
           jsonb_build_object(
               'data_type', format_type(s.seqtypid, NULL),
               'start', s.seqstart,
               'increment', s.seqincrement,
               'min_value', s.seqmin,
               'max_value', s.seqmax,
               'cache', s.seqcache,
               'cycle', s.seqcycle
           ) AS options,
           owner.owned_by,
           obj_description(c.oid, 'pg_class') AS comment
    FROM pg_class c
    JOIN ns n ON n.oid = c.relnamespace
    JOIN pg_sequence s ON s.seqrelid = c.oid
    LEFT JOIN LATERAL (
        SELECT jsonb_build_object(
                   'table', jsonb_build_object('schema', tn.nspname, 'name', t.relname),
                   'column', a.attname
               ) AS owned_by
        FROM pg_depend d
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_namespace tn ON tn.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass
          AND d.objid = c.oid
          AND d.refclassid = 'pg_class'::regclass
          AND d.refobjsubid > 0
          AND d.deptype = 'a'
        LIMIT 1
    ) owner ON true
    WHERE c.relkind = 'S'
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'i')
      )
) r
ORDER BY r.name
