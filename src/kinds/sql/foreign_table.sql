-- The statements that make `pg_class ft` (relkind 'f'; an expression, inspect and plan guards share it):
-- CREATE FOREIGN TABLE with its local columns (type, collation when not the type's, column options sorted,
-- NOT NULL, DEFAULT or GENERATED), its local CHECK constraints, INHERITS or PARTITION OF ... FOR VALUES,
-- its server and options sorted; then one COMMENT ON COLUMN line per commented column. Names are
-- qualified by the empty search_path (`::regclass`, format_type).
format('CREATE FOREIGN TABLE %s', ft.oid::regclass)
    || CASE WHEN ft.relispartition THEN ''
       ELSE ' (' || coalesce((
           SELECT string_agg(e, ', ' ORDER BY k, e COLLATE "C")
           FROM (
               SELECT a.attnum AS k,
                      quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                      || CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation
                              THEN ' COLLATE ' || (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                                   FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                                   WHERE co.oid = a.attcollation)
                              ELSE '' END
                      || coalesce(' OPTIONS (' || (
                             SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' '
                                               || quote_literal(substr(o, strpos(o, '=') + 1)), ', ' ORDER BY o COLLATE "C")
                             FROM unnest(a.attfdwoptions) o) || ')', '')
                      || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                      || coalesce(CASE WHEN a.attgenerated = 's'
                                       THEN ' GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid) || ') STORED'
                                       ELSE ' DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid) END, '') AS e
               FROM pg_attribute a
               JOIN pg_type ty ON ty.oid = a.atttypid
               LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
               WHERE a.attrelid = ft.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal
               UNION ALL
               SELECT 32767, format('CONSTRAINT %s %s', quote_ident(cc.conname), pg_get_constraintdef(cc.oid))
               FROM pg_constraint cc
               WHERE cc.conrelid = ft.oid AND cc.contype = 'c' AND cc.conislocal
           ) cols), '') || ')'
       END
    || coalesce(' INHERITS (' || (
           SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno)
           FROM pg_inherits i WHERE i.inhrelid = ft.oid AND NOT ft.relispartition) || ')', '')
    || CASE WHEN ft.relispartition
            THEN (SELECT ' PARTITION OF ' || i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = ft.oid)
                 || ' ' || pg_get_expr(ft.relpartbound, ft.oid)
            ELSE '' END
    || (SELECT ' SERVER ' || quote_ident(s.srvname)
               || coalesce(' OPTIONS (' || (
                      SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' '
                                        || quote_literal(substr(o, strpos(o, '=') + 1)), ', ' ORDER BY o COLLATE "C")
                      FROM unnest(f.ftoptions) o) || ')', '')
        FROM pg_foreign_table f JOIN pg_foreign_server s ON s.oid = f.ftserver WHERE f.ftrelid = ft.oid)
    || coalesce((
           SELECT ';' || string_agg(format(E'\nCOMMENT ON COLUMN %s.%s IS %s;', ft.oid::regclass, quote_ident(a.attname),
                                           quote_literal(dc.description)), '' ORDER BY a.attnum)
           FROM pg_attribute a
           JOIN pg_description dc ON dc.objoid = ft.oid AND dc.classoid = 'pg_class'::regclass AND dc.objsubid = a.attnum
           WHERE a.attrelid = ft.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
