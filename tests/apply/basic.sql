-- accrete plan 0a1b2c3d4e5f6789
--
-- target:        @TARGET_COMMENT@
-- tool:          accrete 0.1.0
-- new objects owned by: the connecting role
--
-- summary: 4 steps in 2 segments
--   add: 1 schema, 1 table, 1 column, 1 index
--
-- hazards:
--   step 4: builds-index (CREATE INDEX CONCURRENTLY on app.users)
--
-- Hand-written test plan for the apply tests: a schema, a table and a column in one transactional
-- segment, then a non-transactional CREATE INDEX CONCURRENTLY through `\gexec`.
--
-- accrete:format 1
-- accrete:catalog-format 1
-- accrete:plan-id 0a1b2c3d4e5f6789
-- accrete:target @TARGET@
-- accrete:checksum sha256:@

SET search_path = '';
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 3;
SET standard_conforming_strings = on;
SET check_function_bodies = off;

-- accrete:segment 1 transactional
BEGIN;

-- step 1 · add schema app
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'app') THEN
    RAISE NOTICE 'accrete: step 1 skipped: schema app exists as planned';
  ELSE
    EXECUTE $ddl$CREATE SCHEMA app$ddl$;
  END IF;
END
$accrete$;

-- step 2 · add table app.users
DO $accrete$
BEGIN
  IF to_regclass('app.users') IS NOT NULL THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_class WHERE oid = 'app.users'::regclass AND relkind = 'r') THEN
      RAISE NOTICE 'accrete: step 2 skipped: table app.users exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 2: app.users exists and is not a table';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE app.users (id bigint NOT NULL)$ddl$;
  END IF;
END
$accrete$;

-- step 3 · add column app.users.email
DO $accrete$
DECLARE
  found_type text;
BEGIN
  SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO found_type
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = 'app.users'::regclass AND a.attname = 'email' AND NOT a.attisdropped;
  IF found_type = 'text' THEN
    RAISE NOTICE 'accrete: step 3 skipped: column app.users.email exists as planned';
  ELSIF found_type IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 3: column app.users.email exists with type %, planned text', found_type;
  ELSE
    EXECUTE $ddl$ALTER TABLE app.users ADD COLUMN email text$ddl$;
  END IF;
END
$accrete$;

COMMIT;

-- accrete:segment 2 non-transactional

-- step 4 · add index app.users_email_idx · hazards: builds-index
DO $accrete$
BEGIN
  IF to_regclass('app.users_email_idx') IS NOT NULL THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_index i
               WHERE i.indexrelid = 'app.users_email_idx'::regclass AND i.indisvalid
                 AND pg_catalog.pg_get_indexdef(i.indexrelid)
                     = 'CREATE INDEX users_email_idx ON app.users USING btree (email)') THEN
      RAISE NOTICE 'accrete: step 4 skipped: index app.users_email_idx exists as planned';
    ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i
                  WHERE i.indexrelid = 'app.users_email_idx'::regclass AND i.indisvalid) THEN
      RAISE EXCEPTION 'accrete: step 4: index app.users_email_idx exists with another definition';
    END IF;
  END IF;
END
$accrete$;
SELECT 'DROP INDEX CONCURRENTLY app.users_email_idx'
WHERE EXISTS (SELECT FROM pg_catalog.pg_index i
              WHERE i.indexrelid = to_regclass('app.users_email_idx') AND NOT i.indisvalid)
\gexec
SELECT 'CREATE INDEX CONCURRENTLY users_email_idx ON app.users USING btree (email)'
WHERE to_regclass('app.users_email_idx') IS NULL
\gexec

-- accrete:manifest
-- accrete:object schema "app" before=@ after=@
-- accrete:object table "app.users" before=@ after=@
-- accrete:object column "app.users.id" before=@ after=@
-- accrete:object column "app.users.email" before=@ after=@
-- accrete:object index "app.users_email_idx" before=@ after=@
-- accrete:end
