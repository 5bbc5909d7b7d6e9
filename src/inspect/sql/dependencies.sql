-- Normal dependencies (pg_depend 'n') between objects accrete models, and a generated column's on the
-- columns it reads, each side named as accrete names it:
-- a view through its _RETURN rule, a column default through pg_attrdef, a function or aggregate by its signature, a
-- table's row type as the table. Used to order plans; read on both sides.
, named AS (
    SELECT 'pg_class'::regclass AS classid, c.oid AS objid, 0 AS objsubid,
           CASE WHEN c.relkind IN ('r', 'p') THEN 'table' WHEN c.relkind IN ('v', 'm') THEN 'view'
                WHEN c.relkind = 'S' THEN 'sequence' ELSE 'index' END AS kind,
           n.nspname || '.' || c.relname AS name
    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I')
    UNION ALL
    SELECT 'pg_class'::regclass, c.oid, a.attnum, 'column', n.nspname || '.' || c.relname || '.' || a.attname
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'pg_attrdef'::regclass, d.oid, 0, 'column', n.nspname || '.' || c.relname || '.' || a.attname
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    JOIN pg_class c ON c.oid = d.adrelid JOIN ns n ON n.oid = c.relnamespace
    UNION ALL
    SELECT 'pg_proc'::regclass, p.oid, 0, CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END,
           p.oid::regprocedure::text
    FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace WHERE p.prokind <> 'w'
    UNION ALL
    SELECT 'pg_collation'::regclass, co.oid, 0, 'collation', n.nspname || '.' || co.collname
    FROM pg_collation co JOIN ns n ON n.oid = co.collnamespace
    UNION ALL
    SELECT 'pg_ts_dict'::regclass, x.oid, 0, 'text_search_dictionary', n.nspname || '.' || x.dictname
    FROM pg_ts_dict x JOIN ns n ON n.oid = x.dictnamespace
    UNION ALL
    SELECT 'pg_ts_config'::regclass, x.oid, 0, 'text_search_configuration', n.nspname || '.' || x.cfgname
    FROM pg_ts_config x JOIN ns n ON n.oid = x.cfgnamespace
    UNION ALL
    SELECT 'pg_statistic_ext'::regclass, x.oid, 0, 'statistics', n.nspname || '.' || x.stxname
    FROM pg_statistic_ext x JOIN ns n ON n.oid = x.stxnamespace
    UNION ALL
    -- Database-wide: a publication, and its tables' membership rows counted as the publication.
    SELECT 'pg_publication'::regclass, x.oid, 0, 'publication', x.pubname::text
    FROM pg_publication x
    UNION ALL
    SELECT 'pg_publication_rel'::regclass, x.oid, 0, 'publication', p.pubname::text
    FROM pg_publication_rel x JOIN pg_publication p ON p.oid = x.prpubid
    UNION ALL
    -- Database-wide: a foreign data wrapper (an extension's counts as the extension) and a foreign server.
    SELECT 'pg_foreign_data_wrapper'::regclass, x.oid, 0, CASE WHEN e.extname IS NULL THEN 'foreign_data_wrapper'
           ELSE 'extension' END, coalesce(e.extname, x.fdwname)::text
    FROM pg_foreign_data_wrapper x
    LEFT JOIN pg_depend xd ON xd.classid = 'pg_foreign_data_wrapper'::regclass AND xd.objid = x.oid
                          AND xd.deptype = 'e'
    LEFT JOIN pg_extension e ON e.oid = xd.refobjid
    UNION ALL
    SELECT 'pg_foreign_server'::regclass, x.oid, 0, 'foreign_server', x.srvname::text
    FROM pg_foreign_server x
    UNION ALL
    -- Database-wide: a user mapping, named role@server (its options are not read here).
    SELECT 'pg_user_mapping'::regclass, x.umid, 0, 'user_mapping',
           CASE WHEN x.umuser = 0 THEN 'public' ELSE quote_ident(x.usename) END || '@' || quote_ident(x.srvname)
    FROM pg_user_mappings x
    UNION ALL
    -- A foreign table, and its columns as the table (a column's type is the foreign table's dependency).
    SELECT 'pg_class'::regclass, c.oid, a.attnum, 'foreign_table', n.nspname || '.' || c.relname
    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind = 'f'
    UNION ALL
    SELECT 'pg_class'::regclass, c.oid, 0, 'foreign_table', n.nspname || '.' || c.relname
    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace WHERE c.relkind = 'f'
    UNION ALL
    SELECT 'pg_type'::regclass, t.oid, 0,
           CASE WHEN t.typtype = 'e' THEN 'enum' WHEN tc.relkind IN ('v', 'm') THEN 'view'
                WHEN tc.relkind IN ('r', 'p') THEN 'table' ELSE 'type' END,
           n.nspname || '.' || coalesce(tc.relname, t.typname)
    FROM pg_type t JOIN ns n ON n.oid = t.typnamespace LEFT JOIN pg_class tc ON tc.oid = t.typrelid
    WHERE t.typtype IN ('e', 'd', 'r') OR tc.relkind IN ('r', 'p', 'v', 'm', 'c')
    UNION ALL
    SELECT 'pg_constraint'::regclass, con.oid, 0, 'constraint', n.nspname || '.' || c.relname || '.' || con.conname
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN ns n ON n.oid = c.relnamespace
    UNION ALL
    -- A domain's constraints are the domain's (a CHECK that calls a function orders the domain after it).
    SELECT 'pg_constraint'::regclass, con.oid, 0, 'type', n.nspname || '.' || t.typname
    FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid JOIN ns n ON n.oid = t.typnamespace
    UNION ALL
    SELECT 'pg_rewrite'::regclass, ru.oid, 0,
           CASE WHEN ru.rulename = '_RETURN' THEN 'view' ELSE 'rule' END,
           n.nspname || '.' || c.relname || CASE WHEN ru.rulename = '_RETURN' THEN '' ELSE '.' || ru.rulename END
    FROM pg_rewrite ru JOIN pg_class c ON c.oid = ru.ev_class JOIN ns n ON n.oid = c.relnamespace
    UNION ALL
    SELECT 'pg_trigger'::regclass, tg.oid, 0, 'trigger', n.nspname || '.' || c.relname || '.' || tg.tgname
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN ns n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal
    UNION ALL
    SELECT 'pg_policy'::regclass, po.oid, 0, 'policy', n.nspname || '.' || c.relname || '.' || po.polname
    FROM pg_policy po JOIN pg_class c ON c.oid = po.polrelid JOIN ns n ON n.oid = c.relnamespace
    UNION ALL
    -- Database-wide: an event trigger depends on its function.
    SELECT 'pg_event_trigger'::regclass, e.oid, 0, 'event_trigger', e.evtname::text
    FROM pg_event_trigger e
    -- Objects of kinds accrete does not model, named as unmodeled.sql names them (prefixed `x:`), so that a
    -- plan can refuse a step that needs one the target lacks.
    UNION ALL
    SELECT 'pg_proc'::regclass, p.oid, 0, 'x:window function', n.nspname || '.' || p.proname
    FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace WHERE p.prokind = 'w'
    UNION ALL
    SELECT 'pg_operator'::regclass, o.oid, 0, 'x:operator', n.nspname || '.' || o.oprname
    FROM pg_operator o JOIN ns n ON n.oid = o.oprnamespace
    UNION ALL
    SELECT 'pg_type'::regclass, t.oid, 0, 'x:base type', n.nspname || '.' || t.typname
    FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
    WHERE t.typtype = 'b' AND NOT EXISTS (SELECT FROM pg_type el WHERE el.typarray = t.oid)
),
-- One join key per object, (classid, objid) in a bigint: the planner has no statistics for a CTE's columns and
-- multiplies the default selectivity of each equality, so a join on three columns is estimated at one row and
-- run as a nested loop over the CTE, quadratic in the schema's size (20 s at 1,000 tables).
obj AS (SELECT (classid::oid::int8 << 32) | objid::int8 AS key, * FROM named)
SELECT row_to_json(r)::text
FROM (
    SELECT DISTINCT src.kind AS from_kind, src.name AS from_name, ref.kind AS to_kind, ref.name AS to_name
    FROM pg_depend d
    -- A column's own dependencies (its type) count as the column's.
    JOIN obj src ON src.key = (d.classid::int8 << 32) | d.objid::int8 AND src.objsubid = d.objsubid
    -- A reference to a column counts as one to its relation too (a view's columns are not listed).
    JOIN obj ref ON ref.key = (d.refclassid::int8 << 32) | d.refobjid::int8
                AND (ref.objsubid = 0 OR ref.objsubid = d.refobjsubid)
    WHERE (d.deptype = 'n'
           -- A statistics object depends 'a' (auto) on its table and the columns it is on.
           OR (d.deptype = 'a' AND d.classid = 'pg_statistic_ext'::regclass)
           -- So does a publication's membership row on its table.
           OR (d.deptype = 'a' AND d.classid = 'pg_publication_rel'::regclass)
           -- A generated column depends 'a' (auto) on the columns of its table it reads: through its
           -- pg_attrdef (16 and later) or as the column itself (14, 15). On the column, not its table: every
           -- default depends so on its own column.
           OR (d.deptype = 'a' AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
               AND ref.objsubid = d.refobjsubid
               AND (d.classid = 'pg_attrdef'::regclass OR (d.classid = 'pg_class'::regclass AND d.objsubid > 0))))
      AND (src.kind, src.name) <> (ref.kind, ref.name)
      -- What an extension owns comes with the extension, which is modeled: not an unmodeled dependency.
      AND NOT (ref.kind LIKE 'x:%' AND EXISTS (
          SELECT FROM pg_depend e WHERE e.classid = ref.classid AND e.objid = ref.objid AND e.deptype = 'e'))
) r
