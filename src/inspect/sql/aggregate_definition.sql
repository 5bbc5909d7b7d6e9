-- The CREATE AGGREGATE statement of `pg_aggregate ag`, its `pg_proc ap` and `pg_namespace an` (an expression;
-- inspect and plan guards share it). Every option is written where it differs from nothing: what the
-- statement makes is exactly what the catalog holds.
format('CREATE AGGREGATE %s.%s(%s) (', quote_ident(an.nspname), quote_ident(ap.proname),
       CASE WHEN ap.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(ap.oid) END)
    || concat_ws(', ',
           'SFUNC = ' || ag.aggtransfn::regproc::text,
           'STYPE = ' || format_type(ag.aggtranstype, NULL),
           CASE WHEN ag.aggtransspace <> 0 THEN 'SSPACE = ' || ag.aggtransspace END,
           CASE WHEN ag.aggfinalfn <> 0 THEN 'FINALFUNC = ' || ag.aggfinalfn::regproc::text END,
           CASE WHEN ag.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
           CASE WHEN ag.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = '
               || CASE ag.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
           CASE WHEN ag.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || ag.aggcombinefn::regproc::text END,
           CASE WHEN ag.aggserialfn <> 0 THEN 'SERIALFUNC = ' || ag.aggserialfn::regproc::text END,
           CASE WHEN ag.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || ag.aggdeserialfn::regproc::text END,
           'INITCOND = ' || quote_literal(ag.agginitval),
           CASE WHEN ag.aggmtransfn <> 0 THEN 'MSFUNC = ' || ag.aggmtransfn::regproc::text END,
           CASE WHEN ag.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || ag.aggminvtransfn::regproc::text END,
           CASE WHEN ag.aggmtranstype <> 0 THEN 'MSTYPE = ' || format_type(ag.aggmtranstype, NULL) END,
           CASE WHEN ag.aggmtransspace <> 0 THEN 'MSSPACE = ' || ag.aggmtransspace END,
           CASE WHEN ag.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || ag.aggmfinalfn::regproc::text END,
           CASE WHEN ag.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
           CASE WHEN ag.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = '
               || CASE ag.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
           'MINITCOND = ' || quote_literal(ag.aggminitval),
           (SELECT format('SORTOP = OPERATOR(%I.%s)', opn.nspname, op.oprname)
            FROM pg_operator op JOIN pg_namespace opn ON opn.oid = op.oprnamespace WHERE op.oid = ag.aggsortop),
           CASE ap.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
           CASE WHEN ag.aggkind = 'h' THEN 'HYPOTHETICAL' END)
    || ')'
