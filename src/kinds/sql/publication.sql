-- The CREATE PUBLICATION statement of `pg_publication pb` (an expression; inspect and plan guards share it):
-- FOR ALL TABLES, or its TABLE items (column list and WHERE clause) and TABLES IN SCHEMA items, sorted;
-- then the options that differ from the defaults. Read through to_jsonb, pg_publication_tables and
-- pg_depend, which every supported major has, rather than the columns and the catalog 15 added.
format('CREATE PUBLICATION %s', quote_ident(pb.pubname))
    || CASE WHEN pb.puballtables THEN ' FOR ALL TABLES'
            ELSE coalesce(' FOR ' || (
                SELECT string_agg(i.item, ', ' ORDER BY i.item COLLATE "C")
                FROM (
                    SELECT format('TABLE %s', pr.prrelid::regclass)
                           || coalesce(' (' || (
                                  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                                  FROM pg_attribute a
                                  WHERE a.attrelid = pr.prrelid
                                    AND jsonb_typeof(to_jsonb(pr) -> 'prattrs') = 'array'
                                    AND a.attnum IN (
                                        SELECT e::int2 FROM jsonb_array_elements_text(to_jsonb(pr) -> 'prattrs') e)
                              ) || ')', '')
                           || coalesce(' WHERE (' || (
                                  SELECT to_jsonb(pt) ->> 'rowfilter'
                                  FROM pg_publication_tables pt
                                  JOIN pg_class rc ON rc.relname = pt.tablename
                                  JOIN pg_namespace rn ON rn.oid = rc.relnamespace AND rn.nspname = pt.schemaname
                                  WHERE pt.pubname = pb.pubname AND rc.oid = pr.prrelid
                              ) || ')', '') AS item
                    FROM pg_publication_rel pr
                    WHERE pr.prpubid = pb.oid
                    UNION ALL
                    -- A schema's membership row (pg_publication_namespace, 15 and later) depends on the
                    -- publication and on the schema.
                    SELECT 'TABLES IN SCHEMA ' || ds.refobjid::regnamespace::text
                    FROM pg_depend dp
                    JOIN pg_depend ds ON ds.classid = dp.classid AND ds.objid = dp.objid
                                     AND ds.refclassid = 'pg_namespace'::regclass
                    WHERE dp.classid = to_regclass('pg_catalog.pg_publication_namespace')
                      AND dp.refclassid = 'pg_publication'::regclass AND dp.refobjid = pb.oid
                ) i), '')
       END
    || coalesce(' WITH (' || nullif(concat_ws(', ',
           CASE WHEN NOT (pb.pubinsert AND pb.pubupdate AND pb.pubdelete AND pb.pubtruncate)
                THEN format('publish = %L', concat_ws(', ', CASE WHEN pb.pubinsert THEN 'insert' END,
                                                      CASE WHEN pb.pubupdate THEN 'update' END,
                                                      CASE WHEN pb.pubdelete THEN 'delete' END,
                                                      CASE WHEN pb.pubtruncate THEN 'truncate' END))
           END,
           CASE WHEN pb.pubviaroot THEN 'publish_via_partition_root = true' END), '') || ')', '')
