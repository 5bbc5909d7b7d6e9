-- The statements that make `pg_ts_config cf` (an expression; inspect and plan guards share it): CREATE TEXT
-- SEARCH CONFIGURATION with its parser, then one ADD MAPPING line per token type, by token alias.
format('CREATE TEXT SEARCH CONFIGURATION %s (PARSER = %s.%s);', cf.oid::regconfig,
       (SELECT quote_ident(pn.nspname) FROM pg_ts_parser pr JOIN pg_namespace pn ON pn.oid = pr.prsnamespace
        WHERE pr.oid = cf.cfgparser),
       (SELECT quote_ident(pr.prsname) FROM pg_ts_parser pr WHERE pr.oid = cf.cfgparser))
    || coalesce((
        SELECT string_agg(format(E'\nALTER TEXT SEARCH CONFIGURATION %s ADD MAPPING FOR %s WITH %s;',
                                 cf.oid::regconfig, quote_ident(m.alias), m.dicts), '' ORDER BY m.alias COLLATE "C")
        FROM (
            SELECT tt.alias, string_agg(mp.mapdict::regdictionary::text, ', ' ORDER BY mp.mapseqno) AS dicts
            FROM pg_ts_config_map mp
            JOIN ts_token_type(cf.cfgparser) tt ON tt.tokid = mp.maptokentype
            WHERE mp.mapcfg = cf.oid
            GROUP BY tt.alias
        ) m), '')
