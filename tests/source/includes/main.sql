CREATE SCHEMA inc;
\ir parts/tables.sql
\i parts/views.sql
