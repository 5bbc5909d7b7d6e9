-- The statements that make `pg_statistic_ext st` (an expression; inspect and plan guards share it): CREATE
-- STATISTICS as pg_get_statisticsobjdef prints it, then ALTER STATISTICS ... SET STATISTICS when a
-- statistics target is set (stxstattarget is NULL on 17 and later, -1 before, when it is not).
pg_get_statisticsobjdef(st.oid)
    || CASE WHEN coalesce(st.stxstattarget::int, -1) >= 0
            THEN format(E';\nALTER STATISTICS %s.%s SET STATISTICS %s;',
                        (SELECT quote_ident(sn.nspname) FROM pg_namespace sn WHERE sn.oid = st.stxnamespace),
                        quote_ident(st.stxname), st.stxstattarget)
            ELSE '' END
