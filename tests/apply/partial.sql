-- accrete plan 5566778899aabbcc
--
-- target:        @TARGET_COMMENT@
-- tool:          accrete 0.1.0
--
-- summary: 2 steps in 2 segments
--   add: 1 column, 1 constraint
--
-- hazards:
--   step 2: may-fail-on-data (CHECK (id > 0) on app.users)
--
-- Hand-written test plan for the apply tests, against a database that has app.users (id bigint) already:
-- segment 1 adds a column; segment 2 adds a check constraint whose guard refuses rows that violate it.
--
-- accrete:format 1
-- accrete:catalog-format 1
-- accrete:plan-id 5566778899aabbcc
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

-- step 1 · add column app.users.email
DO $accrete$
DECLARE
  found_type text;
BEGIN
  SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO found_type
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = 'app.users'::regclass AND a.attname = 'email' AND NOT a.attisdropped;
  IF found_type = 'text' THEN
    RAISE NOTICE 'accrete: step 1 skipped: column app.users.email exists as planned';
  ELSIF found_type IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 1: column app.users.email exists with type %, planned text', found_type;
  ELSE
    EXECUTE $ddl$ALTER TABLE app.users ADD COLUMN email text$ddl$;
  END IF;
END
$accrete$;

COMMIT;

-- accrete:segment 2 transactional
BEGIN;

-- step 2 · add constraint app.users.users_id_positive · hazards: may-fail-on-data
DO $accrete$
DECLARE
  found_def text;
  bad bigint;
BEGIN
  SELECT pg_catalog.pg_get_constraintdef(c.oid) INTO found_def
  FROM pg_catalog.pg_constraint c
  WHERE c.conrelid = 'app.users'::regclass AND c.conname = 'users_id_positive';
  IF found_def = 'CHECK ((id > 0))' THEN
    RAISE NOTICE 'accrete: step 2 skipped: constraint users_id_positive on app.users exists as planned';
  ELSIF found_def IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 2: constraint users_id_positive on app.users exists as %', found_def;
  ELSE
    SELECT count(*) INTO bad FROM app.users WHERE NOT (id > 0);
    IF bad > 0 THEN
      RAISE EXCEPTION 'accrete: step 2: % rows of app.users violate CHECK (id > 0)', bad
        USING HINT = 'fix those rows, then run the same plan again';
    END IF;
    EXECUTE $ddl$ALTER TABLE app.users ADD CONSTRAINT users_id_positive CHECK (id > 0)$ddl$;
  END IF;
END
$accrete$;

COMMIT;

-- accrete:manifest
-- accrete:object column "app.users.email" before=@ after=@
-- accrete:object constraint "app.users.users_id_positive" before=@ after=@
-- accrete:end
