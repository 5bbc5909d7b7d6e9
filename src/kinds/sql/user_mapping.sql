-- The CREATE USER MAPPING statement of `pg_user_mappings um` (an expression; inspect and plan guards share
-- it): the role (PUBLIC for umuser 0), the server, and the option NAMES only, each with an empty value,
-- sorted. An option's value may be a password: it never leaves the server (only split_part's name does).
-- umoptions is NULL to a role that neither owns the server nor is the mapped user with USAGE on it: then
-- no OPTIONS clause is printed.
format('CREATE USER MAPPING FOR %s SERVER %s',
       CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(um.usename) END, quote_ident(um.srvname))
    || coalesce(' OPTIONS (' || (
           SELECT string_agg(quote_ident(split_part(o, '=', 1)) || ' ''''', ', '
                             ORDER BY split_part(o, '=', 1) COLLATE "C")
           FROM unnest(um.umoptions) o) || ')', '')
