-- Collations in scope that no extension created, each with the CREATE COLLATION statement that makes it
-- (collation_definition.sql). The collation version is not part of it: it follows the library.
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', co.collname) AS name,
           obj_description(co.oid, 'pg_collation') AS comment,
           (
