-- Text search configurations in scope that no extension created, each with the statements that make it
-- (text_search_configuration_definition.sql).
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', cf.cfgname) AS name,
           obj_description(cf.oid, 'pg_ts_config') AS comment,
           (
