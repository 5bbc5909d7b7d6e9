-- Default privileges (pg_default_acl): global ones (no schema) and those of schemas in scope. A global row
-- holds the whole default ACL of its role and object type, a per-schema row only what it adds. The role's
-- own entries and the grantor are left out, as for objects.
SELECT to_jsonb(r)::text
FROM (
    SELECT pg_get_userbyid(d.defaclrole) AS role,
           n.nspname AS schema,
           CASE d.defaclobjtype
               WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
               WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas'
           END AS objects,
           coalesce((
               SELECT jsonb_agg(jsonb_build_array(e.grantee, e.privilege, e.grantable) ORDER BY e.grantee, e.privilege)
               FROM (
                   SELECT CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee) END AS grantee,
                          x.privilege_type AS privilege, bool_or(x.is_grantable) AS grantable
                   FROM aclexplode(d.defaclacl) x
                   WHERE x.grantee <> d.defaclrole
                   GROUP BY 1, 2
               ) e
           ), '[]'::jsonb) AS grants
    FROM pg_default_acl d
    LEFT JOIN ns n ON n.oid = d.defaclnamespace
    WHERE d.defaclnamespace = 0 OR n.oid IS NOT NULL
) r
ORDER BY r.role, r.schema NULLS FIRST, r.objects
