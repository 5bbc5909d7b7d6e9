-- The CREATE TEXT SEARCH DICTIONARY statement of `pg_ts_dict di` (an expression; inspect and plan guards share
-- it). `dictinitoption` is the options as PostgreSQL stores them (`stopwords = 'english', accept = 'false'`).
format('CREATE TEXT SEARCH DICTIONARY %s (TEMPLATE = %s.%s%s)', di.oid::regdictionary,
       (SELECT quote_ident(tn.nspname) FROM pg_ts_template tm JOIN pg_namespace tn ON tn.oid = tm.tmplnamespace
        WHERE tm.oid = di.dicttemplate),
       (SELECT quote_ident(tm.tmplname) FROM pg_ts_template tm WHERE tm.oid = di.dicttemplate),
       ', ' || di.dictinitoption)
