-- The roles of the server (not PostgreSQL's predefined pg_* roles): a grant names one.
SELECT to_jsonb(r)::text
FROM (SELECT rolname AS name FROM pg_roles WHERE rolname !~ '^pg_') r
ORDER BY r.name
