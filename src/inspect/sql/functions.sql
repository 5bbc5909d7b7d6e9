-- Functions and procedures in scope (not aggregates or window functions), not created by an extension and
-- not belonging to another object (range constructors). The signature is `regprocedure`'s text, which is
-- schema-qualified under the pinned empty search_path.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', p.proname) AS name,
           p.oid::regprocedure::text AS signature,
           CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind,
           pg_get_functiondef(p.oid) AS definition,
           obj_description(p.oid, 'pg_proc') AS comment
    FROM pg_proc p
    JOIN ns n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p')
      AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i')
      )
) r
ORDER BY r.signature
