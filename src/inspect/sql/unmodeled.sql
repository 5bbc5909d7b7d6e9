-- Objects of kinds accrete does not model (window functions, triggers on foreign tables, text search
-- parsers and templates, operators ...; beyond the relations and types of other_relations.sql), one row
-- each, so that the caller can apply the scope's patterns before counting. `schema` is NULL for
-- database-wide objects (publications, casts ...); `relation` names the table or view a trigger, rule or
-- policy belongs to.
-- Left out: extension members, internal and cloned triggers, the `_RETURN` rules of views, functions that
-- belong to another object (range constructors), and built-in objects (OIDs below FirstNormalObjectId).
SELECT to_jsonb(r)::text
FROM (
    SELECT 'window function' AS kind,
           n.nspname AS schema,
           p.proname AS name,
           NULL::text AS relation
    FROM pg_proc p
    JOIN ns n ON n.oid = p.pronamespace
    WHERE p.prokind = 'w'  -- functions, procedures and aggregates are modeled
      AND NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i')
    )
    UNION ALL
    SELECT 'trigger', n.nspname, tg.tgname, c.relname
    FROM pg_trigger tg
    JOIN pg_class c ON c.oid = tg.tgrelid
    JOIN ns n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal
      AND tg.tgparentid = 0
      AND c.relkind NOT IN ('r', 'p', 'v')  -- triggers on tables and views are modeled (table_parts.sql)
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    UNION ALL
    SELECT 'rule', n.nspname, ru.rulename, c.relname
    FROM pg_rewrite ru
    JOIN pg_class c ON c.oid = ru.ev_class
    JOIN ns n ON n.oid = c.relnamespace
    WHERE ru.rulename <> '_RETURN'
      AND c.relkind NOT IN ('r', 'p', 'v')  -- rules on tables and views are modeled (table_parts.sql)
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    UNION ALL
    SELECT k.kind, n.nspname, k.name, NULL
    FROM (
        -- Collations, text search dictionaries and configurations, statistics objects are modeled
        -- (src/kinds).
        SELECT 'text search parser' AS kind, 'pg_ts_parser'::regclass AS classid, x.oid, x.prsnamespace AS nsp,
               x.prsname::text AS name
        FROM pg_ts_parser x
        UNION ALL
        SELECT 'text search template', 'pg_ts_template'::regclass, x.oid, x.tmplnamespace, x.tmplname::text
        FROM pg_ts_template x
        UNION ALL
        SELECT 'operator', 'pg_operator'::regclass, x.oid, x.oprnamespace, x.oprname::text
        FROM pg_operator x
        UNION ALL
        SELECT 'operator class', 'pg_opclass'::regclass, x.oid, x.opcnamespace, x.opcname::text
        FROM pg_opclass x
        UNION ALL
        SELECT 'operator family', 'pg_opfamily'::regclass, x.oid, x.opfnamespace, x.opfname::text
        FROM pg_opfamily x
        UNION ALL
        SELECT 'conversion', 'pg_conversion'::regclass, x.oid, x.connamespace, x.conname::text
        FROM pg_conversion x
    ) k
    JOIN ns n ON n.oid = k.nsp
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = k.classid AND d.objid = k.oid AND d.deptype IN ('e', 'i')
    )
    UNION ALL
    SELECT g.kind, NULL, g.name, NULL
    FROM (
        -- Event triggers (event_triggers.sql), publications, foreign data wrappers, servers and user
        -- mappings (src/kinds) are modeled.
        SELECT 'language' AS kind, 'pg_language'::regclass AS classid, x.oid, x.lanname::text AS name
        FROM pg_language x
        UNION ALL
        SELECT 'cast', 'pg_cast'::regclass, x.oid, format('%s AS %s', x.castsource::regtype, x.casttarget::regtype)
        FROM pg_cast x
        UNION ALL
        SELECT 'access method', 'pg_am'::regclass, x.oid, x.amname::text
        FROM pg_am x
        UNION ALL
        -- Only the columns granted to PUBLIC are read.
        SELECT 'subscription', 'pg_subscription'::regclass, x.oid, x.subname::text
        FROM pg_subscription x
        WHERE x.subdbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
    ) g
    WHERE g.oid >= 16384
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = g.classid AND d.objid = g.oid AND d.deptype IN ('e', 'i')
      )
) r
ORDER BY r.kind, r.schema, r.relation, r.name
