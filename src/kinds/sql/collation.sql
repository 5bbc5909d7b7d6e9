-- The CREATE COLLATION statement of `pg_collation co` (an expression; inspect and plan guards share it).
format('CREATE COLLATION %s (provider = %s, ', co.oid::regcollation,
       CASE co.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'libc' END)
    || CASE WHEN co.collprovider = 'c' AND co.collcollate = co.collctype
            THEN 'locale = ' || quote_literal(co.collcollate)
            WHEN co.collprovider = 'c'
            THEN 'lc_collate = ' || quote_literal(co.collcollate) || ', lc_ctype = ' || quote_literal(co.collctype)
            ELSE 'locale = ' || quote_literal(coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale',
                                                       co.collcollate))
       END
    || coalesce(', rules = ' || quote_literal(to_jsonb(co) ->> 'collicurules'), '')
    || CASE WHEN co.collisdeterministic THEN '' ELSE ', deterministic = false' END
    || ')'
