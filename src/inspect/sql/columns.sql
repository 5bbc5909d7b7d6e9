-- Local columns of the tables in scope (inherited-only columns are the parent's). attidentity is '', 'a'
-- (ALWAYS) or 'd' (BY DEFAULT); attgenerated is '', 's' (STORED) or, from PostgreSQL 18, 'v' (VIRTUAL).
-- `serial` is the sequence of a serial column: an integer column whose default is exactly
-- nextval('<sequence>'::regclass) of a sequence OWNED BY that column, named and set up as `serial` does. `default_expr` is the raw pg_attrdef
-- expression (the generation expression of a generated column).
SELECT row_to_json(r)::text
FROM (
    SELECT json_build_object('schema', n.nspname, 'name', c.relname) AS "table",
           a.attname AS name,
           a.attnum AS position,
           format_type(a.atttypid, a.atttypmod) AS data_type,
           -- From PostgreSQL 18 NOT NULL is a constraint (contype 'n') with a name, possibly NOT VALID
           -- (attnotnull is set all the same) or NO INHERIT; before 18 there is no such row and these are NULL.
           -- The name of an inherited one (conislocal false) is the parent's, and not read.
           a.attnotnull AS not_null,
           CASE WHEN nn.conislocal THEN nn.conname END AS not_null_constraint,
           nn.convalidated AS not_null_validated,
           nn.connoinherit AS not_null_no_inherit,
           a.attidentity::text AS identity_kind,
           a.attgenerated::text AS generated_kind,
           pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
           CASE WHEN a.attcollation <> t.typcollation THEN (
               SELECT json_build_object('schema', con.nspname, 'name', co.collname)
               FROM pg_collation co
               JOIN pg_namespace con ON con.oid = co.collnamespace
               WHERE co.oid = a.attcollation
           ) END AS collation,
           -- What col_description() returns, without the function call per column. Looked up by the index
           -- rather than joined: the planner has no statistics for pg_description on a fresh database and
           -- may loop over it once per column (10 s at 5,000 tables on 18).
           (
               SELECT dsc.description
               FROM pg_description dsc
               WHERE dsc.objoid = a.attrelid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum
           ) AS comment,
           (
               SELECT json_build_object(
                          'data_type', format_type(s.seqtypid, NULL),
                          'start', s.seqstart,
                          'increment', s.seqincrement,
                          'min_value', s.seqmin,
                          'max_value', s.seqmax,
                          'cache', s.seqcache,
                          'cycle', s.seqcycle
                      )
               FROM pg_depend d
               JOIN pg_sequence s ON s.seqrelid = d.objid
               WHERE a.attidentity <> ''
                 AND d.classid = 'pg_class'::regclass
                 AND d.refclassid = 'pg_class'::regclass
                 AND d.refobjid = a.attrelid
                 AND d.refobjsubid = a.attnum
                 AND d.deptype = 'i'
               LIMIT 1
           ) AS identity_options,
           (
               SELECT json_build_object(
                          'sequence', json_build_object('schema', sn.nspname, 'name', sc.relname),
                          'options', json_build_object(
                              'data_type', format_type(s.seqtypid, NULL),
                              'start', s.seqstart,
                              'increment', s.seqincrement,
                              'min_value', s.seqmin,
                              'max_value', s.seqmax,
                              'cache', s.seqcache,
                              'cycle', s.seqcycle
                          )
                      )
               FROM pg_depend d
               JOIN pg_sequence s ON s.seqrelid = d.objid
               JOIN pg_class sc ON sc.oid = s.seqrelid
               JOIN pg_namespace sn ON sn.oid = sc.relnamespace
               WHERE a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
                 AND a.attidentity = ''
                 AND a.attgenerated = ''
                 AND d.classid = 'pg_class'::regclass
                 AND d.refclassid = 'pg_class'::regclass
                 AND d.refobjid = a.attrelid
                 AND d.refobjsubid = a.attnum
                 AND d.deptype = 'a'
                 AND pg_get_expr(ad.adbin, ad.adrelid) = format('nextval(%L::regclass)', sc.oid::regclass)
                 -- Only what `serial` itself makes: the sequence beside the table, with the name serial
                 -- chooses (a number appended on a collision) and serial's options. Any other owned
                 -- sequence stays a sequence of its own, so a plan recreates its name and options.
                 AND sc.relnamespace = c.relnamespace
                 AND left(sc.relname, length(c.relname || '_' || a.attname || '_seq'))
                     = c.relname || '_' || a.attname || '_seq'
                 AND substr(sc.relname, length(c.relname || '_' || a.attname || '_seq') + 1) ~ '^[0-9]*$'
                 AND s.seqtypid = a.atttypid AND s.seqstart = 1 AND s.seqincrement = 1 AND s.seqmin = 1
                 AND s.seqcache = 1 AND NOT s.seqcycle
                 AND s.seqmax = CASE a.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647
                                                ELSE 9223372036854775807 END
               LIMIT 1
           ) AS serial
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN ns n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_constraint nn ON nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey = ARRAY[a.attnum]
    WHERE c.relkind IN ('r', 'p')
      AND a.attnum > 0
      AND NOT a.attisdropped
      AND a.attislocal
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
) r
