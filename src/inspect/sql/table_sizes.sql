-- The planner's estimates of each table's rows (reltuples: -1 on PostgreSQL 14 and later for a table never
-- vacuumed or analyzed, 0 before 14) and its size (relpages of the table, its TOAST table and its indexes,
-- times the block size), for the review output and the hazards graded by size. Read from pg_class only:
-- pg_total_relation_size and pg_partition_tree would take a lock on each table and wait behind a writer's
-- ACCESS EXCLUSIVE, so partitions are found through pg_inherits.
-- Estimates, as fresh as the last VACUUM, ANALYZE or index build; never part of a digest. A partitioned
-- table counts its leaf partitions (ANALYZE gives a partitioned table rows of its own, the same ones).
, pages AS (
    SELECT c.oid, c.relkind = 'p' AS partitioned,
           GREATEST(c.reltuples, 0)::float8 AS rows,
           (c.relpages::int8
            + COALESCE((SELECT t.relpages FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
            + COALESCE((SELECT sum(i.relpages) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                        WHERE x.indrelid = c.oid), 0))::int8
           * current_setting('block_size')::int8 AS bytes
    FROM pg_class c
    WHERE c.relkind IN ('r', 'p', 'm')
), tree AS (
    WITH RECURSIVE down AS (
        SELECT c.oid AS root, c.oid AS relid FROM pg_class c WHERE c.relkind = 'p'
        UNION ALL
        SELECT d.root, i.inhrelid FROM down d JOIN pg_inherits i ON i.inhparent = d.relid
    )
    SELECT root, relid FROM down
)
-- Each partitioned table's sum over its leaf partitions, in one pass: a lookup per table into the CTEs
-- above would scan them once per table, quadratic in the number of tables.
, rollup AS (
    SELECT t.root, sum(p.rows) AS rows, sum(p.bytes)::int8 AS bytes
    FROM tree t JOIN pages p ON p.oid = t.relid
    WHERE NOT p.partitioned
    GROUP BY t.root
)
SELECT to_jsonb(r)::text
FROM (
    SELECT jsonb_build_object('schema', n.nspname, 'name', c.relname) AS name,
           CASE WHEN p.partitioned THEN u.rows ELSE p.rows END AS rows,
           CASE WHEN p.partitioned THEN u.bytes ELSE p.bytes END AS bytes
    FROM pages p
    JOIN pg_class c ON c.oid = p.oid
    JOIN ns n ON n.oid = c.relnamespace
    LEFT JOIN rollup u ON u.root = p.oid
) r
ORDER BY r.name
