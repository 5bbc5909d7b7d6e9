-- Domains, composite and range types listed in accrete.toml [external] ($1 schemas and $2 names,
-- pairwise), as the statement that makes their stub: a domain's base type, collation and NOT NULL (not its
-- checks, which may call what the scratch lacks); a composite type's attributes; a range's subtype,
-- collation, canonical and difference functions and multirange name.
SELECT to_jsonb(r)::text
FROM (
    SELECT w.schema, w.name,
           ARRAY[CASE t.typtype
               WHEN 'd' THEN format('CREATE DOMAIN %I.%I AS %s', n.nspname, t.typname,
                                    format_type(t.typbasetype, t.typtypmod))
                             || CASE WHEN t.typcollation <> bt.typcollation
                                     THEN format(' COLLATE %I.%I', con.nspname, co.collname) ELSE '' END
                             || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
               WHEN 'c' THEN format('CREATE TYPE %I.%I AS (%s)', n.nspname, t.typname, coalesce((
                   SELECT string_agg(
                              format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                              || CASE WHEN a.attcollation <> at.typcollation
                                      THEN format(' COLLATE %I.%I', acn.nspname, ac.collname) ELSE '' END,
                              ', ' ORDER BY a.attnum)
                   FROM pg_attribute a
                   JOIN pg_type at ON at.oid = a.atttypid
                   LEFT JOIN pg_collation ac ON ac.oid = a.attcollation
                   LEFT JOIN pg_namespace acn ON acn.oid = ac.collnamespace
                   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
               ), ''))
               WHEN 'r' THEN (
                   SELECT format('CREATE TYPE %I.%I AS RANGE (subtype = %s', n.nspname, t.typname,
                                 format_type(rg.rngsubtype, NULL))
                          || CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation
                                  THEN format(', collation = %I.%I', rcn.nspname, rc.collname) ELSE '' END
                          || CASE WHEN rg.rngcanonical::oid <> 0
                                  THEN format(', canonical = %s', rg.rngcanonical::regproc) ELSE '' END
                          || CASE WHEN rg.rngsubdiff::oid <> 0
                                  THEN format(', subtype_diff = %s', rg.rngsubdiff::regproc) ELSE '' END
                          || format(', multirange_type_name = %s)', rg.rngmultitypid::regtype)
                   FROM pg_range rg
                   JOIN pg_type st ON st.oid = rg.rngsubtype
                   LEFT JOIN pg_collation rc ON rc.oid = rg.rngcollation
                   LEFT JOIN pg_namespace rcn ON rcn.oid = rc.collnamespace
                   WHERE rg.rngtypid = t.oid
               )
           END] AS statements
    FROM unnest($1::text[], $2::text[]) AS w(schema, name)
    JOIN pg_namespace n ON n.nspname = w.schema
    JOIN pg_type t ON t.typnamespace = n.oid AND t.typname = w.name
    LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
    LEFT JOIN pg_collation co ON co.oid = t.typcollation
    LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
    WHERE t.typtype IN ('d', 'r')
       OR (t.typtype = 'c' AND EXISTS (SELECT FROM pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c'))
) r
