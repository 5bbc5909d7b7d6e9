-- Text search dictionaries in scope that no extension created, each with the statement that makes it
-- (text_search_dictionary_definition.sql).
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', di.dictname) AS name,
           obj_description(di.oid, 'pg_ts_dict') AS comment,
           (
