-- Event triggers (database-wide objects: no schema) that no extension created: event, tag filter (sorted
-- bytewise), function by signature, firing state as a word, comment.
SELECT to_jsonb(r)::text
FROM (
    SELECT e.evtname AS name,
           e.evtevent AS event,
           ARRAY(SELECT t FROM pg_catalog.unnest(coalesce(e.evttags, '{}'::text[])) t
                 ORDER BY t COLLATE "C") AS tags,
           e.evtfoid::regprocedure::text AS function,
           CASE e.evtenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always'
                ELSE 'enabled' END AS enabled,
           obj_description(e.oid, 'pg_event_trigger') AS comment
    FROM pg_event_trigger e
    WHERE NOT EXISTS (
        SELECT FROM pg_depend d
        WHERE d.classid = 'pg_event_trigger'::regclass AND d.objid = e.oid AND d.deptype IN ('e', 'i')
    )
) r
ORDER BY r.name COLLATE "C"
