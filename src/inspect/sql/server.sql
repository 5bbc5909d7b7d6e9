-- The server and the session: one row. pg_control_system() is executable by PUBLIC by default; where an
-- administrator revoked it, the system identifier is an empty string. The call goes through query_to_xml
-- because a plain reference is permission-checked when the query starts, even in a CASE branch never taken.
SELECT to_jsonb(r)::text
FROM (
    SELECT current_setting('server_version_num')::int AS version_num,
           split_part(current_setting('server_version'), ' ', 1) AS version,
           current_database() AS database,
           CASE WHEN has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')
                THEN substring(
                         query_to_xml('SELECT system_identifier FROM pg_catalog.pg_control_system()', false, false, '')::text
                         FROM '<system_identifier>([0-9]+)</system_identifier>'
                     )
                ELSE ''
           END AS system_identifier,
           pg_encoding_to_char(d.encoding) AS encoding,
           d.datcollate AS lc_collate,
           d.datctype AS lc_ctype,
           pg_is_in_recovery() AS in_recovery,
           current_user::text AS current_user,
           session_user::text AS session_user
    FROM pg_database d
    WHERE d.datname = current_database()
) r
