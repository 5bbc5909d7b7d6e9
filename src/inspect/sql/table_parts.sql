-- Triggers (not internal, not cloned onto partitions), rules (not a view's _RETURN rule) and row-level
-- security policies of tables in scope, and the triggers and rules of views, one row each with its kind
-- and PostgreSQL's own definition; triggers and rules with their firing state.
SELECT to_jsonb(r)::text
FROM (
    SELECT 'trigger' AS kind,
           jsonb_build_object('schema', n.nspname, 'name', c.relname) AS "table",
           tg.tgname AS name,
           pg_get_triggerdef(tg.oid) AS definition,
           NULL::jsonb AS policy,
           obj_description(tg.oid, 'pg_trigger') AS comment,
           CASE tg.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always'
                ELSE 'enabled' END AS enabled
    FROM pg_trigger tg
    JOIN pg_class c ON c.oid = tg.tgrelid
    JOIN ns n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND c.relkind IN ('r', 'p', 'v')
    UNION ALL
    SELECT 'rule', jsonb_build_object('schema', n.nspname, 'name', c.relname), ru.rulename,
           pg_get_ruledef(ru.oid), NULL, obj_description(ru.oid, 'pg_rewrite'),
           CASE ru.ev_enabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always'
                ELSE 'enabled' END
    FROM pg_rewrite ru
    JOIN pg_class c ON c.oid = ru.ev_class
    JOIN ns n ON n.oid = c.relnamespace
    WHERE ru.rulename <> '_RETURN' AND c.relkind IN ('r', 'p', 'v')
    UNION ALL
    SELECT 'policy', jsonb_build_object('schema', n.nspname, 'name', c.relname), po.polname, NULL,
           jsonb_build_object(
               'permissive', po.polpermissive,
               'command', CASE po.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                         WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
               'roles', ARRAY(
                   SELECT CASE WHEN ro = 0 THEN 'public' ELSE pg_get_userbyid(ro)::text END
                   FROM unnest(po.polroles) ro ORDER BY 1
               ),
               'using', pg_get_expr(po.polqual, po.polrelid),
               'with_check', pg_get_expr(po.polwithcheck, po.polrelid)
           ),
           obj_description(po.oid, 'pg_policy'),
           'enabled'
    FROM pg_policy po
    JOIN pg_class c ON c.oid = po.polrelid
    JOIN ns n ON n.oid = c.relnamespace
) r
ORDER BY r."table", r.kind, r.name
