-- Local table constraints in scope: primary key, unique, foreign key, check, exclusion. Left out: NOT NULL
-- constraints (contype 'n', PostgreSQL 18; NOT NULL is a column attribute), constraint triggers ('t'),
-- inherited constraints (conislocal false) and clones on partitions (conparentid set). Key columns are
-- listed in key order.
SELECT row_to_json(r)::text
FROM (
    SELECT json_build_object('schema', n.nspname, 'name', c.relname) AS "table",
           con.conname AS name,
           con.contype::text AS kind,
           pg_get_constraintdef(con.oid) AS definition,
           ARRAY(
               SELECT a.attname
               FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
               ORDER BY k.ord
           ) AS columns,
           CASE WHEN con.contype = 'f' THEN (
               SELECT json_build_object('schema', fn.nspname, 'name', f.relname)
               FROM pg_class f
               JOIN pg_namespace fn ON fn.oid = f.relnamespace
               WHERE f.oid = con.confrelid
           ) END AS "references",
           con.convalidated AS validated,
           -- conenforced exists from PostgreSQL 18 (NOT ENFORCED constraints); NULL before.
           (to_jsonb(con) ->> 'conenforced')::boolean AS enforced,
           con.condeferrable AS deferrable,
           con.condeferred AS initially_deferred,
           dsc.description AS comment
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN ns n ON n.oid = c.relnamespace
    -- What obj_description() returns, joined rather than called once per constraint.
    LEFT JOIN pg_description dsc
           ON dsc.objoid = con.oid AND dsc.classoid = 'pg_constraint'::regclass AND dsc.objsubid = 0
    WHERE c.relkind IN ('r', 'p')
      AND con.contype IN ('p', 'u', 'f', 'c', 'x')
      AND con.conislocal
      AND con.conparentid = 0
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
) r
