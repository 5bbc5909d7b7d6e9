-- Aggregates in scope that no extension created, by signature like functions, each with the CREATE
-- AGGREGATE statement that makes it (aggregate_definition.sql; pg_get_functiondef does not print aggregates).
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', an.nspname, 'name', ap.proname) AS name,
           ap.oid::regprocedure::text AS signature,
           CASE WHEN ap.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(ap.oid) END AS arguments,
           obj_description(ap.oid, 'pg_proc') AS comment,
           (
