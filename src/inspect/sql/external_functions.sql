-- Functions and procedures listed in accrete.toml [external] ($1 schemas and $2 names, pairwise), every
-- overload of each name, as the statements that make their stubs: the same arguments, result, volatility,
-- strictness and parallel safety, with a PL/pgSQL body that raises. Nothing calls a stub while the schema
-- files load (a view or policy that mentions it only records the call); the real body is the target's.
-- Aggregates and window functions are not stubs.
SELECT to_jsonb(r)::text
FROM (
    SELECT w.schema, w.name,
           ARRAY(
               SELECT CASE p.prokind
                          WHEN 'p' THEN format('CREATE PROCEDURE %I.%I(%s) LANGUAGE plpgsql AS %L',
                                               n.nspname, p.proname, pg_get_function_arguments(p.oid), body)
                          ELSE format('CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE plpgsql %s%s PARALLEL %s AS %L',
                                      n.nspname, p.proname, pg_get_function_arguments(p.oid),
                                      pg_get_function_result(p.oid),
                                      CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE'
                                                         ELSE 'VOLATILE' END,
                                      CASE WHEN p.proisstrict THEN ' STRICT' ELSE '' END,
                                      CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED'
                                                         ELSE 'UNSAFE' END,
                                      body)
                      END
               FROM pg_proc p,
                    LATERAL (SELECT format('BEGIN RAISE EXCEPTION %L; END',
                                           'accrete: stub of external ' || p.oid::regprocedure::text) AS body) b
               WHERE p.pronamespace = n.oid AND p.proname = w.name AND p.prokind IN ('f', 'p')
               ORDER BY p.oid::regprocedure::text
           ) AS statements
    FROM unnest($1::text[], $2::text[]) AS w(schema, name)
    JOIN pg_namespace n ON n.nspname = w.schema
) r
WHERE cardinality(r.statements) > 0
