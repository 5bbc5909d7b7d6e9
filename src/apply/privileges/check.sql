-- What the current role holds, for each requirement and each probe of a plan ($1: a JSON array of
-- {"i": n, "k": kind, "a": text, "b": text, "c": text}), in one round trip.
-- ok: whether the role holds the privilege, or, for a probe (kind "is-..."), whether the object exists;
-- NULL when the object a privilege is on does not exist (the plan creates it, so the role owns it).
-- owner: the owning role, for ownership requirements. trusted: for an extension, whether it is trusted.
-- Objects are found by name in the catalogs (never through to_regclass or casts, which need USAGE on
-- their schema).
SELECT r.i,
       CASE r.k
         WHEN 'read-write' THEN NOT pg_catalog.current_setting('transaction_read_only')::bool
         WHEN 'create-database' THEN pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')
         WHEN 'create-schema' THEN pg_catalog.has_schema_privilege(n.oid, 'CREATE')
         WHEN 'usage-schema' THEN pg_catalog.has_schema_privilege(n.oid, 'USAGE')
         WHEN 'own-schema' THEN pg_catalog.pg_has_role(n.nspowner, 'USAGE')
         WHEN 'own-relation' THEN pg_catalog.pg_has_role(c.relowner, 'USAGE')
         WHEN 'own-type' THEN pg_catalog.pg_has_role(t.typowner, 'USAGE')
         WHEN 'own-function' THEN (SELECT pg_catalog.bool_and(pg_catalog.pg_has_role(p.proowner, 'USAGE'))
                                   FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid AND p.proname = r.b)
         WHEN 'references' THEN pg_catalog.has_column_privilege(c.oid, a.attnum, 'REFERENCES')
         WHEN 'usage-type' THEN CASE WHEN t.typrelid = 0 OR tr.relkind = 'c'
                                     THEN pg_catalog.has_type_privilege(t.oid, 'USAGE') END
         WHEN 'extension' THEN
           (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
           OR v.superuser IS NOT TRUE
           OR (v.trusted AND pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE'))
         WHEN 'on-table' THEN pg_catalog.has_table_privilege(c.oid, r.c)
         WHEN 'superuser' THEN (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
         WHEN 'own-event-trigger' THEN (SELECT pg_catalog.pg_has_role(e.evtowner, 'USAGE')
                                        FROM pg_catalog.pg_event_trigger e WHERE e.evtname = r.a)
         WHEN 'is-schema' THEN n.oid IS NOT NULL
         WHEN 'is-extension' THEN EXISTS (SELECT FROM pg_catalog.pg_extension e WHERE e.extname = r.a)
         WHEN 'is-relation' THEN c.oid IS NOT NULL
         WHEN 'is-type' THEN t.oid IS NOT NULL
         WHEN 'is-column' THEN a.attnum IS NOT NULL
         WHEN 'is-constraint' THEN EXISTS (SELECT FROM pg_catalog.pg_constraint k
                                           WHERE k.conrelid = c.oid AND k.conname = r.c)
         WHEN 'is-valid-constraint' THEN EXISTS (SELECT FROM pg_catalog.pg_constraint k
                                                 WHERE k.conrelid = c.oid AND k.conname = r.c AND k.convalidated)
         WHEN 'is-valid-index' THEN EXISTS (SELECT FROM pg_catalog.pg_index x
                                            WHERE x.indexrelid = c.oid AND x.indisvalid)
         WHEN 'is-enum-label' THEN EXISTS (SELECT FROM pg_catalog.pg_enum l
                                           WHERE l.enumtypid = t.oid AND l.enumlabel = r.c)
         WHEN 'is-trigger' THEN EXISTS (SELECT FROM pg_catalog.pg_trigger g
                                        WHERE g.tgrelid = c.oid AND g.tgname = r.c AND NOT g.tgisinternal)
         WHEN 'is-rule' THEN EXISTS (SELECT FROM pg_catalog.pg_rewrite w WHERE w.ev_class = c.oid AND w.rulename = r.c)
         WHEN 'is-policy' THEN EXISTS (SELECT FROM pg_catalog.pg_policy y WHERE y.polrelid = c.oid AND y.polname = r.c)
         WHEN 'is-event-trigger' THEN EXISTS (SELECT FROM pg_catalog.pg_event_trigger e WHERE e.evtname = r.a)
       END AS ok,
       CASE r.k
         WHEN 'own-function' THEN (SELECT pg_catalog.string_agg(DISTINCT pg_catalog.pg_get_userbyid(p.proowner)::text, ', ')
                                   FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid AND p.proname = r.b)
         WHEN 'own-event-trigger' THEN (SELECT pg_catalog.pg_get_userbyid(e.evtowner)::text
                                        FROM pg_catalog.pg_event_trigger e WHERE e.evtname = r.a)
         ELSE pg_catalog.pg_get_userbyid(COALESCE(c.relowner, t.typowner,
                                                  CASE WHEN r.k = 'own-schema' THEN n.nspowner END))::text
       END AS owner,
       v.trusted,
       current_user::text AS role_name,
       pg_catalog.current_database()::text AS database
FROM pg_catalog.jsonb_to_recordset($1::text::jsonb) AS r(i int, k text, a text, b text, c text)
LEFT JOIN pg_catalog.pg_namespace n
       ON n.nspname = r.a AND r.k NOT IN ('read-write', 'create-database', 'extension', 'is-extension', 'superuser',
                                         'own-event-trigger', 'is-event-trigger')
LEFT JOIN pg_catalog.pg_class c
       ON c.relnamespace = n.oid AND c.relname = r.b
      AND r.k IN ('own-relation', 'references', 'on-table', 'is-relation', 'is-column', 'is-constraint',
                  'is-valid-constraint', 'is-valid-index', 'is-trigger', 'is-rule', 'is-policy')
LEFT JOIN pg_catalog.pg_type t
       ON t.typnamespace = n.oid AND t.typname = r.b AND r.k IN ('own-type', 'usage-type', 'is-type', 'is-enum-label')
LEFT JOIN pg_catalog.pg_class tr ON tr.oid = t.typrelid
LEFT JOIN pg_catalog.pg_attribute a
       ON a.attrelid = c.oid AND a.attname = r.c AND a.attnum > 0 AND NOT a.attisdropped
      AND r.k IN ('references', 'is-column')
LEFT JOIN pg_catalog.pg_available_extensions ae ON ae.name = r.a AND r.k = 'extension'
LEFT JOIN pg_catalog.pg_available_extension_versions v ON v.name = ae.name AND v.version = ae.default_version
ORDER BY r.i
