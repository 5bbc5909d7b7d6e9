-- The CREATE FOREIGN DATA WRAPPER statement of `pg_foreign_data_wrapper fw` (an expression; inspect and
-- plan guards share it): handler and validator when set, options sorted.
format('CREATE FOREIGN DATA WRAPPER %s', quote_ident(fw.fdwname))
    || CASE WHEN fw.fdwhandler <> 0 THEN ' HANDLER ' || fw.fdwhandler::regproc::text ELSE '' END
    || CASE WHEN fw.fdwvalidator <> 0 THEN ' VALIDATOR ' || fw.fdwvalidator::regproc::text ELSE '' END
    || coalesce(' OPTIONS (' || (
           SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' ' || quote_literal(substr(o, strpos(o, '=') + 1)),
                             ', ' ORDER BY o COLLATE "C")
           FROM unnest(fw.fdwoptions) o) || ')', '')
