-- The CREATE SERVER statement of `pg_foreign_server fs` (an expression; inspect and plan guards share it):
-- type and version when set, its wrapper, options sorted. (Secrets belong to user mappings, whose option
-- values are never read: see user_mapping.sql.)
format('CREATE SERVER %s', quote_ident(fs.srvname))
    || coalesce(' TYPE ' || quote_literal(fs.srvtype), '')
    || coalesce(' VERSION ' || quote_literal(fs.srvversion), '')
    || ' FOREIGN DATA WRAPPER '
    || (SELECT quote_ident(w.fdwname) FROM pg_foreign_data_wrapper w WHERE w.oid = fs.srvfdw)
    || coalesce(' OPTIONS (' || (
           SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' ' || quote_literal(substr(o, strpos(o, '=') + 1)),
                             ', ' ORDER BY o COLLATE "C")
           FROM unnest(fs.srvoptions) o) || ')', '')
