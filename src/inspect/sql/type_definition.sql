CASE t.typtype
    WHEN 'd' THEN format('CREATE DOMAIN %s AS %s', t.oid::regtype, format_type(t.typbasetype, t.typtypmod))
        || CASE WHEN t.typcollation <> 0 AND t.typcollation IS DISTINCT FROM
                     (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                THEN ' COLLATE ' || t.typcollation::regcollation::text ELSE '' END
        || coalesce(' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0), '')
        || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
        || coalesce((SELECT string_agg(format(' CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)), ''
                                       ORDER BY c.conname)
                     FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '')
    WHEN 'r' THEN (
        SELECT format('CREATE TYPE %s AS RANGE (SUBTYPE = %s', t.oid::regtype, format_type(rg.rngsubtype, NULL))
            || CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation IS DISTINCT FROM
                         (SELECT s.typcollation FROM pg_type s WHERE s.oid = rg.rngsubtype)
                    THEN ', COLLATION = ' || rg.rngcollation::regcollation::text ELSE '' END
            || CASE WHEN NOT oc.opcdefault
                    THEN ', SUBTYPE_OPCLASS = ' || quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) ELSE '' END
            || CASE WHEN rg.rngcanonical <> 0 THEN ', CANONICAL = ' || rg.rngcanonical::regproc::text ELSE '' END
            || CASE WHEN rg.rngsubdiff <> 0 THEN ', SUBTYPE_DIFF = ' || rg.rngsubdiff::regproc::text ELSE '' END
            || ', MULTIRANGE_TYPE_NAME = ' || rg.rngmultitypid::regtype::text
            || ')'
        FROM pg_range rg
        JOIN pg_opclass oc ON oc.oid = rg.rngsubopc
        JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
        WHERE rg.rngtypid = t.oid)
    ELSE format('CREATE TYPE %s AS (%s)', t.oid::regtype, (
        SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                   || CASE WHEN a.attcollation <> 0 AND a.attcollation IS DISTINCT FROM
                                (SELECT at.typcollation FROM pg_type at WHERE at.oid = a.atttypid)
                           THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
               ', ' ORDER BY a.attnum)
        FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))
END
