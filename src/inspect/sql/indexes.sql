-- Stand-alone indexes of the tables in scope, and partition child indexes (attached to a parent index
-- through pg_inherits, named by `attached_to`), which the caller keeps apart from their tables. Left out:
-- indexes that implement a primary key, unique or exclusion constraint of their table (unless attached).
-- `quoted_name` and `table_sql` let the caller cut pg_get_indexdef exactly at " USING ".
SELECT row_to_json(r)::text
FROM (
    SELECT json_build_object('schema', n.nspname, 'name', c.relname) AS "table",
           ic.relname AS name,
           quote_ident(ic.relname) AS quoted_name,
           c.oid::regclass::text AS table_sql,
           i.indisunique AS "unique",
           am.amname AS method,
           pg_get_indexdef(i.indexrelid) AS indexdef,
           ARRAY(
               SELECT a.attname
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               ORDER BY k.ord
           ) AS columns,
           i.indisvalid AS valid,
           dsc.description AS comment,
           (
               SELECT json_build_object('schema', pn.nspname, 'name', pc.relname)
               FROM pg_inherits inh
               JOIN pg_class pc ON pc.oid = inh.inhparent
               JOIN pg_namespace pn ON pn.oid = pc.relnamespace
               WHERE inh.inhrelid = i.indexrelid
           ) AS attached_to
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN ns n ON n.oid = c.relnamespace
    -- What obj_description() returns, joined rather than called once per index.
    LEFT JOIN pg_description dsc
           ON dsc.objoid = i.indexrelid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
    WHERE c.relkind IN ('r', 'p')
      AND (
          EXISTS (SELECT FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
          OR NOT EXISTS (
              SELECT FROM pg_constraint con
              WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
          )
      )
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid IN (c.oid, i.indexrelid) AND d.deptype = 'e'
      )
) r
