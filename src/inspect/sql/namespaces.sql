-- Prefix of every scoped query: the namespaces in scope. $1 (text[]) names the managed schemas (empty: every
-- schema), $2 (text) is accrete's own schema. System schemas (pg_catalog, pg_toast, pg_temp_N,
-- pg_toast_temp_N, information_schema) are never in scope.
WITH ns AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_%'
      AND n.nspname <> 'information_schema'
      AND n.nspname <> $2::text
      AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
)
