-- accrete plan f2781c2c6d6a61f3
--
-- target:        PostgreSQL 15.18, database "t_example_0", system identifier 7716515799399078712
-- normalized on: PostgreSQL 15.18
-- tool:          accrete 0.1.0
-- new objects owned by: postgres (the connecting role)
-- policy:        add
-- proven: on a copy of database "t_example_0"'s schema, PostgreSQL 15.18, 157 steps ran
--
-- summary: 157 steps in 1 segment
--   add: 44 comments, 70 constraints, 5 enums, 21 indexes, 2 schemas, 1 sequence, 14 tables
--
-- hazards: none
--
-- not planned: nothing
--
-- accrete:format 2
-- accrete:catalog-format 1
-- accrete:plan-id f2781c2c6d6a61f3
-- accrete:target system-identifier=7716515799399078712 database="t_example_0" server-version-num=150018
-- accrete:checksum sha256:773242d4e9129af2005769430e247f20a805aa0573e01c36d5ff5a6b8592d85e

SET search_path = '';
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 3;
SET standard_conforming_strings = on;
SET check_function_bodies = off;

-- accrete:segment 1 transactional
BEGIN;

-- step 1 · add schema audit
--   CREATE SCHEMA audit;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'audit') THEN
    RAISE NOTICE 'accrete: step 1 skipped: schema audit exists';
  ELSE
    EXECUTE $ddl$CREATE SCHEMA audit$ddl$;
  END IF;
END
$accrete$;

-- step 2 · add schema llm
--   CREATE SCHEMA llm;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'llm') THEN
    RAISE NOTICE 'accrete: step 2 skipped: schema llm exists';
  ELSE
    EXECUTE $ddl$CREATE SCHEMA llm$ddl$;
  END IF;
END
$accrete$;

-- step 3 · add enum llm.deployment_status
--   CREATE TYPE llm.deployment_status AS ENUM ('pending', 'starting', 'running', 'stopping', 'stopped', 'failed');
DO $accrete$
BEGIN
  IF pg_catalog.to_regtype('llm.deployment_status') IS NOT NULL THEN
    IF (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = 'llm.deployment_status'::regtype) IS NOT DISTINCT FROM ARRAY['pending', 'starting', 'running', 'stopping', 'stopped', 'failed']::text[] THEN
      RAISE NOTICE 'accrete: step 3 skipped: type llm.deployment_status exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 3: type llm.deployment_status exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TYPE llm.deployment_status AS ENUM ('pending', 'starting', 'running', 'stopping', 'stopped', 'failed')$ddl$;
  END IF;
END
$accrete$;

-- step 4 · add enum llm.permission_subject
--   CREATE TYPE llm.permission_subject AS ENUM ('user', 'role', 'organization');
DO $accrete$
BEGIN
  IF pg_catalog.to_regtype('llm.permission_subject') IS NOT NULL THEN
    IF (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = 'llm.permission_subject'::regtype) IS NOT DISTINCT FROM ARRAY['user', 'role', 'organization']::text[] THEN
      RAISE NOTICE 'accrete: step 4 skipped: type llm.permission_subject exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 4: type llm.permission_subject exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TYPE llm.permission_subject AS ENUM ('user', 'role', 'organization')$ddl$;
  END IF;
END
$accrete$;

-- step 5 · add enum llm.provider_kind
--   CREATE TYPE llm.provider_kind AS ENUM ('openai', 'anthropic', 'openrouter', 'google', 'azure_openai', 'custom');
DO $accrete$
BEGIN
  IF pg_catalog.to_regtype('llm.provider_kind') IS NOT NULL THEN
    IF (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = 'llm.provider_kind'::regtype) IS NOT DISTINCT FROM ARRAY['openai', 'anthropic', 'openrouter', 'google', 'azure_openai', 'custom']::text[] THEN
      RAISE NOTICE 'accrete: step 5 skipped: type llm.provider_kind exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 5: type llm.provider_kind exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TYPE llm.provider_kind AS ENUM ('openai', 'anthropic', 'openrouter', 'google', 'azure_openai', 'custom')$ddl$;
  END IF;
END
$accrete$;

-- step 6 · add enum llm.server_kind
--   CREATE TYPE llm.server_kind AS ENUM ('ollama', 'vllm', 'lmstudio', 'tgi', 'llamacpp');
DO $accrete$
BEGIN
  IF pg_catalog.to_regtype('llm.server_kind') IS NOT NULL THEN
    IF (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = 'llm.server_kind'::regtype) IS NOT DISTINCT FROM ARRAY['ollama', 'vllm', 'lmstudio', 'tgi', 'llamacpp']::text[] THEN
      RAISE NOTICE 'accrete: step 6 skipped: type llm.server_kind exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 6: type llm.server_kind exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TYPE llm.server_kind AS ENUM ('ollama', 'vllm', 'lmstudio', 'tgi', 'llamacpp')$ddl$;
  END IF;
END
$accrete$;

-- step 7 · add enum llm.tier
--   CREATE TYPE llm.tier AS ENUM ('trial', 'free', 'starter', 'professional', 'enterprise');
DO $accrete$
BEGIN
  IF pg_catalog.to_regtype('llm.tier') IS NOT NULL THEN
    IF (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = 'llm.tier'::regtype) IS NOT DISTINCT FROM ARRAY['trial', 'free', 'starter', 'professional', 'enterprise']::text[] THEN
      RAISE NOTICE 'accrete: step 7 skipped: type llm.tier exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 7: type llm.tier exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TYPE llm.tier AS ENUM ('trial', 'free', 'starter', 'professional', 'enterprise')$ddl$;
  END IF;
END
$accrete$;

-- step 8 · add sequence llm.invoice_number_seq
--   CREATE SEQUENCE llm.invoice_number_seq AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100001 CACHE 1 NO CYCLE;
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.invoice_number_seq') IS NOT NULL THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_sequence s WHERE s.seqrelid = 'llm.invoice_number_seq'::regclass AND pg_catalog.format_type(s.seqtypid, NULL) = 'bigint' AND s.seqstart = 100001 AND s.seqincrement = 1 AND s.seqmin = 1 AND s.seqmax = 9223372036854775807 AND s.seqcache = 1 AND s.seqcycle = false) THEN
      RAISE NOTICE 'accrete: step 8 skipped: sequence llm.invoice_number_seq exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 8: sequence llm.invoice_number_seq exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE SEQUENCE llm.invoice_number_seq AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100001 CACHE 1 NO CYCLE$ddl$;
  END IF;
END
$accrete$;

-- step 9 · add table audit.audit_log
--   lock: ACCESS EXCLUSIVE on audit.audit_log, brief
--   CREATE TABLE audit.audit_log (
--       id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
--       occurred_at timestamp with time zone DEFAULT now() NOT NULL,
--       actor_id character varying(255) NOT NULL,
--       actor_ip inet,
--       action character varying(50) NOT NULL,
--       resource_type character varying(50) NOT NULL,
--       resource_id character varying(255),
--       old_values jsonb,
--       new_values jsonb,
--       details jsonb DEFAULT '{}'::jsonb NOT NULL,
--       request_id uuid
--   ... (1 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('audit.audit_log') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'audit.audit_log'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'bigint'), ('occurred_at', 'timestamp with time zone'), ('actor_id', 'character varying(255)'), ('actor_ip', 'inet'), ('action', 'character varying(50)'), ('resource_type', 'character varying(50)'), ('resource_id', 'character varying(255)'), ('old_values', 'jsonb'), ('new_values', 'jsonb'), ('details', 'jsonb'), ('request_id', 'uuid'))) = 11 THEN
      RAISE NOTICE 'accrete: step 9 skipped: table audit.audit_log exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 9: table audit.audit_log exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE audit.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_id character varying(255) NOT NULL,
    actor_ip inet,
    action character varying(50) NOT NULL,
    resource_type character varying(50) NOT NULL,
    resource_id character varying(255),
    old_values jsonb,
    new_values jsonb,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id uuid
)$ddl$;
  END IF;
END
$accrete$;

-- step 10 · add table llm.daily_cost_summary
--   lock: ACCESS EXCLUSIVE on llm.daily_cost_summary, brief
--   CREATE TABLE llm.daily_cost_summary (
--       day date NOT NULL,
--       user_id character varying(255) NOT NULL,
--       provider_id uuid NOT NULL,
--       model_name character varying(255) NOT NULL,
--       request_count integer DEFAULT 0 NOT NULL,
--       input_tokens bigint DEFAULT 0 NOT NULL,
--       output_tokens bigint DEFAULT 0 NOT NULL,
--       cost_usd numeric(14,6) DEFAULT 0 NOT NULL,
--       updated_at timestamp with time zone DEFAULT now() NOT NULL
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.daily_cost_summary') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.daily_cost_summary'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.daily_cost_summary'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('day', 'date'), ('user_id', 'character varying(255)'), ('provider_id', 'uuid'), ('model_name', 'character varying(255)'), ('request_count', 'integer'), ('input_tokens', 'bigint'), ('output_tokens', 'bigint'), ('cost_usd', 'numeric(14,6)'), ('updated_at', 'timestamp with time zone'))) = 9 THEN
      RAISE NOTICE 'accrete: step 10 skipped: table llm.daily_cost_summary exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 10: table llm.daily_cost_summary exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.daily_cost_summary (
    day date NOT NULL,
    user_id character varying(255) NOT NULL,
    provider_id uuid NOT NULL,
    model_name character varying(255) NOT NULL,
    request_count integer DEFAULT 0 NOT NULL,
    input_tokens bigint DEFAULT 0 NOT NULL,
    output_tokens bigint DEFAULT 0 NOT NULL,
    cost_usd numeric(14,6) DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 11 · add table llm.installed_models
--   lock: ACCESS EXCLUSIVE on llm.installed_models, brief
--   CREATE TABLE llm.installed_models (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       server_id uuid NOT NULL,
--       model_id uuid,
--       model_name character varying(255) NOT NULL,
--       quantization character varying(20),
--       size_bytes bigint,
--       installed_at timestamp with time zone DEFAULT now() NOT NULL,
--       last_used_at timestamp with time zone
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.installed_models') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.installed_models'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.installed_models'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('server_id', 'uuid'), ('model_id', 'uuid'), ('model_name', 'character varying(255)'), ('quantization', 'character varying(20)'), ('size_bytes', 'bigint'), ('installed_at', 'timestamp with time zone'), ('last_used_at', 'timestamp with time zone'))) = 8 THEN
      RAISE NOTICE 'accrete: step 11 skipped: table llm.installed_models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 11: table llm.installed_models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.installed_models (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    server_id uuid NOT NULL,
    model_id uuid,
    model_name character varying(255) NOT NULL,
    quantization character varying(20),
    size_bytes bigint,
    installed_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone
)$ddl$;
  END IF;
END
$accrete$;

-- step 12 · add table llm.invoices
--   lock: ACCESS EXCLUSIVE on llm.invoices, brief
--   CREATE TABLE llm.invoices (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       number bigint DEFAULT nextval('llm.invoice_number_seq'::regclass) NOT NULL,
--       organization_id character varying(255) NOT NULL,
--       tier llm.tier NOT NULL,
--       period_start date NOT NULL,
--       period_end date NOT NULL,
--       total_usd numeric(14,2) DEFAULT 0 NOT NULL,
--       line_items jsonb DEFAULT '[]'::jsonb NOT NULL,
--       issued_at timestamp with time zone,
--       paid_at timestamp with time zone,
--       created_at timestamp with time zone DEFAULT now() NOT NULL
--   ... (1 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.invoices') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.invoices'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.invoices'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('number', 'bigint'), ('organization_id', 'character varying(255)'), ('tier', 'llm.tier'), ('period_start', 'date'), ('period_end', 'date'), ('total_usd', 'numeric(14,2)'), ('line_items', 'jsonb'), ('issued_at', 'timestamp with time zone'), ('paid_at', 'timestamp with time zone'), ('created_at', 'timestamp with time zone'))) = 11 THEN
      RAISE NOTICE 'accrete: step 12 skipped: table llm.invoices exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 12: table llm.invoices exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.invoices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    number bigint DEFAULT nextval('llm.invoice_number_seq'::regclass) NOT NULL,
    organization_id character varying(255) NOT NULL,
    tier llm.tier NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    total_usd numeric(14,2) DEFAULT 0 NOT NULL,
    line_items jsonb DEFAULT '[]'::jsonb NOT NULL,
    issued_at timestamp with time zone,
    paid_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 13 · add table llm.model_deployments
--   lock: ACCESS EXCLUSIVE on llm.model_deployments, brief
--   CREATE TABLE llm.model_deployments (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       installed_model_id uuid NOT NULL,
--       server_id uuid NOT NULL,
--       status llm.deployment_status DEFAULT 'pending'::llm.deployment_status NOT NULL,
--       endpoint_url character varying(512),
--       gpu_memory_mb integer,
--       max_concurrency integer DEFAULT 4 NOT NULL,
--       settings jsonb DEFAULT '{}'::jsonb NOT NULL,
--       started_at timestamp with time zone,
--       stopped_at timestamp with time zone,
--       last_error text,
--   ... (3 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.model_deployments') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.model_deployments'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_deployments'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('installed_model_id', 'uuid'), ('server_id', 'uuid'), ('status', 'llm.deployment_status'), ('endpoint_url', 'character varying(512)'), ('gpu_memory_mb', 'integer'), ('max_concurrency', 'integer'), ('settings', 'jsonb'), ('started_at', 'timestamp with time zone'), ('stopped_at', 'timestamp with time zone'), ('last_error', 'text'), ('created_by', 'character varying(255)'), ('created_at', 'timestamp with time zone'))) = 13 THEN
      RAISE NOTICE 'accrete: step 13 skipped: table llm.model_deployments exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 13: table llm.model_deployments exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.model_deployments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    installed_model_id uuid NOT NULL,
    server_id uuid NOT NULL,
    status llm.deployment_status DEFAULT 'pending'::llm.deployment_status NOT NULL,
    endpoint_url character varying(512),
    gpu_memory_mb integer,
    max_concurrency integer DEFAULT 4 NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    started_at timestamp with time zone,
    stopped_at timestamp with time zone,
    last_error text,
    created_by character varying(255),
    created_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 14 · add table llm.model_permissions
--   lock: ACCESS EXCLUSIVE on llm.model_permissions, brief
--   CREATE TABLE llm.model_permissions (
--       id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
--       model_id uuid NOT NULL,
--       subject_kind llm.permission_subject NOT NULL,
--       subject_id character varying(255) NOT NULL,
--       allowed boolean DEFAULT true NOT NULL,
--       max_requests_per_day integer,
--       max_tokens_per_day bigint,
--       expires_at timestamp with time zone,
--       granted_by character varying(255) NOT NULL,
--       granted_at timestamp with time zone DEFAULT now() NOT NULL
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.model_permissions') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.model_permissions'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_permissions'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'bigint'), ('model_id', 'uuid'), ('subject_kind', 'llm.permission_subject'), ('subject_id', 'character varying(255)'), ('allowed', 'boolean'), ('max_requests_per_day', 'integer'), ('max_tokens_per_day', 'bigint'), ('expires_at', 'timestamp with time zone'), ('granted_by', 'character varying(255)'), ('granted_at', 'timestamp with time zone'))) = 10 THEN
      RAISE NOTICE 'accrete: step 14 skipped: table llm.model_permissions exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 14: table llm.model_permissions exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.model_permissions (
    id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
    model_id uuid NOT NULL,
    subject_kind llm.permission_subject NOT NULL,
    subject_id character varying(255) NOT NULL,
    allowed boolean DEFAULT true NOT NULL,
    max_requests_per_day integer,
    max_tokens_per_day bigint,
    expires_at timestamp with time zone,
    granted_by character varying(255) NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 15 · add table llm.model_pricing
--   lock: ACCESS EXCLUSIVE on llm.model_pricing, brief
--   CREATE TABLE llm.model_pricing (
--       id serial NOT NULL,
--       model_id uuid NOT NULL,
--       input_usd_per_mtok numeric(12,6) NOT NULL,
--       output_usd_per_mtok numeric(12,6) NOT NULL,
--       effective_from date DEFAULT CURRENT_DATE NOT NULL,
--       effective_to date
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.model_pricing') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.model_pricing'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_pricing'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'integer'), ('model_id', 'uuid'), ('input_usd_per_mtok', 'numeric(12,6)'), ('output_usd_per_mtok', 'numeric(12,6)'), ('effective_from', 'date'), ('effective_to', 'date'))) = 6 THEN
      RAISE NOTICE 'accrete: step 15 skipped: table llm.model_pricing exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 15: table llm.model_pricing exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.model_pricing (
    id serial NOT NULL,
    model_id uuid NOT NULL,
    input_usd_per_mtok numeric(12,6) NOT NULL,
    output_usd_per_mtok numeric(12,6) NOT NULL,
    effective_from date DEFAULT CURRENT_DATE NOT NULL,
    effective_to date
)$ddl$;
  END IF;
END
$accrete$;

-- step 16 · add table llm.model_servers
--   lock: ACCESS EXCLUSIVE on llm.model_servers, brief
--   CREATE TABLE llm.model_servers (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       name character varying(100) NOT NULL,
--       kind llm.server_kind NOT NULL,
--       host character varying(255) NOT NULL,
--       port integer NOT NULL,
--       location character varying(100),
--       gpu_ids integer[] DEFAULT '{}'::integer[] NOT NULL,
--       auto_start boolean DEFAULT false NOT NULL,
--       enabled boolean DEFAULT true NOT NULL,
--       health_status character varying(20) DEFAULT 'unknown'::character varying NOT NULL,
--       last_seen_at timestamp with time zone,
--   ... (4 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.model_servers') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.model_servers'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_servers'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('name', 'character varying(100)'), ('kind', 'llm.server_kind'), ('host', 'character varying(255)'), ('port', 'integer'), ('location', 'character varying(100)'), ('gpu_ids', 'integer[]'), ('auto_start', 'boolean'), ('enabled', 'boolean'), ('health_status', 'character varying(20)'), ('last_seen_at', 'timestamp with time zone'), ('metadata', 'jsonb'), ('created_at', 'timestamp with time zone'), ('updated_at', 'timestamp with time zone'))) = 14 THEN
      RAISE NOTICE 'accrete: step 16 skipped: table llm.model_servers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 16: table llm.model_servers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.model_servers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(100) NOT NULL,
    kind llm.server_kind NOT NULL,
    host character varying(255) NOT NULL,
    port integer NOT NULL,
    location character varying(100),
    gpu_ids integer[] DEFAULT '{}'::integer[] NOT NULL,
    auto_start boolean DEFAULT false NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    health_status character varying(20) DEFAULT 'unknown'::character varying NOT NULL,
    last_seen_at timestamp with time zone,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 17 · add table llm.models
--   lock: ACCESS EXCLUSIVE on llm.models, brief
--   CREATE TABLE llm.models (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       provider_id uuid NOT NULL,
--       model_identifier character varying(255) NOT NULL,
--       display_name character varying(255) NOT NULL,
--       context_window integer,
--       max_output_tokens integer,
--       supports_streaming boolean DEFAULT true NOT NULL,
--       supports_tools boolean DEFAULT false NOT NULL,
--       capabilities jsonb DEFAULT '[]'::jsonb NOT NULL,
--       enabled boolean DEFAULT true NOT NULL,
--       retired_at timestamp with time zone,
--   ... (3 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.models') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.models'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.models'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('provider_id', 'uuid'), ('model_identifier', 'character varying(255)'), ('display_name', 'character varying(255)'), ('context_window', 'integer'), ('max_output_tokens', 'integer'), ('supports_streaming', 'boolean'), ('supports_tools', 'boolean'), ('capabilities', 'jsonb'), ('enabled', 'boolean'), ('retired_at', 'timestamp with time zone'), ('created_at', 'timestamp with time zone'), ('updated_at', 'timestamp with time zone'))) = 13 THEN
      RAISE NOTICE 'accrete: step 17 skipped: table llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 17: table llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.models (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    provider_id uuid NOT NULL,
    model_identifier character varying(255) NOT NULL,
    display_name character varying(255) NOT NULL,
    context_window integer,
    max_output_tokens integer,
    supports_streaming boolean DEFAULT true NOT NULL,
    supports_tools boolean DEFAULT false NOT NULL,
    capabilities jsonb DEFAULT '[]'::jsonb NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    retired_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 18 · add table llm.providers
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   CREATE TABLE llm.providers (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       slug character varying(50) NOT NULL,
--       name character varying(100) NOT NULL,
--       kind llm.provider_kind NOT NULL,
--       base_url character varying(512),
--       api_key_encrypted text,
--       api_key_source character varying(20) DEFAULT 'system'::character varying NOT NULL,
--       api_key_updated_at timestamp with time zone,
--       enabled boolean DEFAULT true NOT NULL,
--       priority integer DEFAULT 100 NOT NULL,
--       default_model_id uuid,
--   ... (8 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.providers') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.providers'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('slug', 'character varying(50)'), ('name', 'character varying(100)'), ('kind', 'llm.provider_kind'), ('base_url', 'character varying(512)'), ('api_key_encrypted', 'text'), ('api_key_source', 'character varying(20)'), ('api_key_updated_at', 'timestamp with time zone'), ('enabled', 'boolean'), ('priority', 'integer'), ('default_model_id', 'uuid'), ('config', 'jsonb'), ('metadata', 'jsonb'), ('health_status', 'character varying(20)'), ('last_health_check', 'timestamp with time zone'), ('created_by', 'character varying(255)'), ('created_at', 'timestamp with time zone'), ('updated_at', 'timestamp with time zone'))) = 18 THEN
      RAISE NOTICE 'accrete: step 18 skipped: table llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 18: table llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.providers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug character varying(50) NOT NULL,
    name character varying(100) NOT NULL,
    kind llm.provider_kind NOT NULL,
    base_url character varying(512),
    api_key_encrypted text,
    api_key_source character varying(20) DEFAULT 'system'::character varying NOT NULL,
    api_key_updated_at timestamp with time zone,
    enabled boolean DEFAULT true NOT NULL,
    priority integer DEFAULT 100 NOT NULL,
    default_model_id uuid,
    config jsonb DEFAULT '{}'::jsonb NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    health_status character varying(20) DEFAULT 'unknown'::character varying NOT NULL,
    last_health_check timestamp with time zone,
    created_by character varying(255),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 19 · add table llm.routing_rules
--   lock: ACCESS EXCLUSIVE on llm.routing_rules, brief
--   CREATE TABLE llm.routing_rules (
--       id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
--       name character varying(100) NOT NULL,
--       power_level character varying(20) NOT NULL,
--       tier llm.tier,
--       model_id uuid NOT NULL,
--       fallback_model_id uuid,
--       weight smallint DEFAULT 100 NOT NULL,
--       enabled boolean DEFAULT true NOT NULL,
--       conditions jsonb DEFAULT '{}'::jsonb NOT NULL
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.routing_rules') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.routing_rules'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.routing_rules'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'integer'), ('name', 'character varying(100)'), ('power_level', 'character varying(20)'), ('tier', 'llm.tier'), ('model_id', 'uuid'), ('fallback_model_id', 'uuid'), ('weight', 'smallint'), ('enabled', 'boolean'), ('conditions', 'jsonb'))) = 9 THEN
      RAISE NOTICE 'accrete: step 19 skipped: table llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 19: table llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.routing_rules (
    id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
    name character varying(100) NOT NULL,
    power_level character varying(20) NOT NULL,
    tier llm.tier,
    model_id uuid NOT NULL,
    fallback_model_id uuid,
    weight smallint DEFAULT 100 NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    conditions jsonb DEFAULT '{}'::jsonb NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 20 · add table llm.tier_model_rules
--   lock: ACCESS EXCLUSIVE on llm.tier_model_rules, brief
--   CREATE TABLE llm.tier_model_rules (
--       id integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
--       tier llm.tier NOT NULL,
--       model_pattern character varying(255) NOT NULL,
--       allowed boolean DEFAULT true NOT NULL,
--       priority integer DEFAULT 0 NOT NULL,
--       max_requests_per_day integer,
--       markup_multiplier numeric(5,3) DEFAULT 1.000 NOT NULL,
--       created_at timestamp with time zone DEFAULT now() NOT NULL
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.tier_model_rules') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.tier_model_rules'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.tier_model_rules'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'integer'), ('tier', 'llm.tier'), ('model_pattern', 'character varying(255)'), ('allowed', 'boolean'), ('priority', 'integer'), ('max_requests_per_day', 'integer'), ('markup_multiplier', 'numeric(5,3)'), ('created_at', 'timestamp with time zone'))) = 8 THEN
      RAISE NOTICE 'accrete: step 20 skipped: table llm.tier_model_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 20: table llm.tier_model_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.tier_model_rules (
    id integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
    tier llm.tier NOT NULL,
    model_pattern character varying(255) NOT NULL,
    allowed boolean DEFAULT true NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    max_requests_per_day integer,
    markup_multiplier numeric(5,3) DEFAULT 1.000 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 21 · add table llm.usage_logs
--   lock: ACCESS EXCLUSIVE on llm.usage_logs, brief
--   CREATE TABLE llm.usage_logs (
--       id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
--       request_id uuid DEFAULT gen_random_uuid() NOT NULL,
--       user_id character varying(255) NOT NULL,
--       provider_id uuid,
--       model_id uuid,
--       server_id uuid,
--       deployment_id uuid,
--       provider character varying(50) NOT NULL,
--       model_name character varying(255) NOT NULL,
--       source character varying(50) DEFAULT 'api'::character varying NOT NULL,
--       input_tokens integer DEFAULT 0 NOT NULL,
--   ... (8 more lines, in the guard below)
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.usage_logs') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.usage_logs'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'bigint'), ('request_id', 'uuid'), ('user_id', 'character varying(255)'), ('provider_id', 'uuid'), ('model_id', 'uuid'), ('server_id', 'uuid'), ('deployment_id', 'uuid'), ('provider', 'character varying(50)'), ('model_name', 'character varying(255)'), ('source', 'character varying(50)'), ('input_tokens', 'integer'), ('output_tokens', 'integer'), ('cost_usd', 'numeric(10,6)'), ('latency_ms', 'integer'), ('status_code', 'smallint'), ('error', 'text'), ('metadata', 'jsonb'), ('created_at', 'timestamp with time zone'))) = 18 THEN
      RAISE NOTICE 'accrete: step 21 skipped: table llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 21: table llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.usage_logs (
    id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
    request_id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id character varying(255) NOT NULL,
    provider_id uuid,
    model_id uuid,
    server_id uuid,
    deployment_id uuid,
    provider character varying(50) NOT NULL,
    model_name character varying(255) NOT NULL,
    source character varying(50) DEFAULT 'api'::character varying NOT NULL,
    input_tokens integer DEFAULT 0 NOT NULL,
    output_tokens integer DEFAULT 0 NOT NULL,
    cost_usd numeric(10,6) DEFAULT 0 NOT NULL,
    latency_ms integer,
    status_code smallint,
    error text,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 22 · add table llm.user_api_keys
--   lock: ACCESS EXCLUSIVE on llm.user_api_keys, brief
--   CREATE TABLE llm.user_api_keys (
--       id uuid DEFAULT gen_random_uuid() NOT NULL,
--       user_id character varying(255) NOT NULL,
--       provider_id uuid NOT NULL,
--       key_encrypted text NOT NULL,
--       key_hint character varying(8) NOT NULL,
--       label character varying(100),
--       last_used_at timestamp with time zone,
--       revoked_at timestamp with time zone,
--       created_at timestamp with time zone DEFAULT now() NOT NULL
--   );
DO $accrete$
BEGIN
  IF pg_catalog.to_regclass('llm.user_api_keys') IS NOT NULL THEN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = 'llm.user_api_keys'::regclass) = 'r'
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.user_api_keys'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES ('id', 'uuid'), ('user_id', 'character varying(255)'), ('provider_id', 'uuid'), ('key_encrypted', 'text'), ('key_hint', 'character varying(8)'), ('label', 'character varying(100)'), ('last_used_at', 'timestamp with time zone'), ('revoked_at', 'timestamp with time zone'), ('created_at', 'timestamp with time zone'))) = 9 THEN
      RAISE NOTICE 'accrete: step 22 skipped: table llm.user_api_keys exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 22: table llm.user_api_keys exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$CREATE TABLE llm.user_api_keys (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id character varying(255) NOT NULL,
    provider_id uuid NOT NULL,
    key_encrypted text NOT NULL,
    key_hint character varying(8) NOT NULL,
    label character varying(100),
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)$ddl$;
  END IF;
END
$accrete$;

-- step 23 · add constraint audit.audit_log.audit_log_action_format
--   lock: ACCESS EXCLUSIVE on audit.audit_log, brief
--   ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_action_format CHECK (((action)::text ~ '^[a-z][a-z_.]*$'::text));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'audit.audit_log'::regclass AND c.conname = 'audit_log_action_format') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'audit.audit_log'::regclass AND c.conname = 'audit_log_action_format' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((action)::text ~ ''^[a-z][a-z_.]*$''::text))') THEN
      RAISE NOTICE 'accrete: step 23 skipped: constraint audit_log_action_format on audit.audit_log exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 23: constraint audit_log_action_format on audit.audit_log exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_action_format CHECK (((action)::text ~ '^[a-z][a-z_.]*$'::text))$ddl$;
  END IF;
END
$accrete$;

-- step 24 · add constraint audit.audit_log.audit_log_pkey
--   lock: ACCESS EXCLUSIVE on audit.audit_log, brief
--   ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'audit.audit_log'::regclass AND c.conname = 'audit_log_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'audit.audit_log'::regclass AND c.conname = 'audit_log_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 24 skipped: constraint audit_log_pkey on audit.audit_log exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 24: constraint audit_log_pkey on audit.audit_log exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 25 · add constraint llm.daily_cost_summary.daily_cost_summary_counts_check
--   lock: ACCESS EXCLUSIVE on llm.daily_cost_summary, brief
--   ALTER TABLE llm.daily_cost_summary ADD CONSTRAINT daily_cost_summary_counts_check CHECK (((request_count >= 0) AND (input_tokens >= 0) AND (output_tokens >= 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.daily_cost_summary'::regclass AND c.conname = 'daily_cost_summary_counts_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.daily_cost_summary'::regclass AND c.conname = 'daily_cost_summary_counts_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((request_count >= 0) AND (input_tokens >= 0) AND (output_tokens >= 0)))') THEN
      RAISE NOTICE 'accrete: step 25 skipped: constraint daily_cost_summary_counts_check on llm.daily_cost_summary exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 25: constraint daily_cost_summary_counts_check on llm.daily_cost_summary exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.daily_cost_summary ADD CONSTRAINT daily_cost_summary_counts_check CHECK (((request_count >= 0) AND (input_tokens >= 0) AND (output_tokens >= 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 26 · add constraint llm.daily_cost_summary.daily_cost_summary_pkey
--   lock: ACCESS EXCLUSIVE on llm.daily_cost_summary, brief
--   ALTER TABLE llm.daily_cost_summary ADD CONSTRAINT daily_cost_summary_pkey PRIMARY KEY (day, user_id, provider_id, model_name);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.daily_cost_summary'::regclass AND c.conname = 'daily_cost_summary_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.daily_cost_summary'::regclass AND c.conname = 'daily_cost_summary_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (day, user_id, provider_id, model_name)') THEN
      RAISE NOTICE 'accrete: step 26 skipped: constraint daily_cost_summary_pkey on llm.daily_cost_summary exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 26: constraint daily_cost_summary_pkey on llm.daily_cost_summary exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.daily_cost_summary ADD CONSTRAINT daily_cost_summary_pkey PRIMARY KEY (day, user_id, provider_id, model_name)$ddl$;
  END IF;
END
$accrete$;

-- step 27 · add constraint llm.installed_models.installed_models_pkey
--   lock: ACCESS EXCLUSIVE on llm.installed_models, brief
--   ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 27 skipped: constraint installed_models_pkey on llm.installed_models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 27: constraint installed_models_pkey on llm.installed_models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 28 · add constraint llm.installed_models.installed_models_server_model_key
--   lock: ACCESS EXCLUSIVE on llm.installed_models, brief
--   ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_server_model_key UNIQUE (server_id, model_name);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_server_model_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_server_model_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (server_id, model_name)') THEN
      RAISE NOTICE 'accrete: step 28 skipped: constraint installed_models_server_model_key on llm.installed_models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 28: constraint installed_models_server_model_key on llm.installed_models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_server_model_key UNIQUE (server_id, model_name)$ddl$;
  END IF;
END
$accrete$;

-- step 29 · add constraint llm.installed_models.installed_models_size_check
--   lock: ACCESS EXCLUSIVE on llm.installed_models, brief
--   ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_size_check CHECK (((size_bytes IS NULL) OR (size_bytes >= 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_size_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_size_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((size_bytes IS NULL) OR (size_bytes >= 0)))') THEN
      RAISE NOTICE 'accrete: step 29 skipped: constraint installed_models_size_check on llm.installed_models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 29: constraint installed_models_size_check on llm.installed_models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_size_check CHECK (((size_bytes IS NULL) OR (size_bytes >= 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 30 · add constraint llm.invoices.invoices_number_key
--   lock: ACCESS EXCLUSIVE on llm.invoices, brief
--   ALTER TABLE llm.invoices ADD CONSTRAINT invoices_number_key UNIQUE (number);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_number_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_number_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (number)') THEN
      RAISE NOTICE 'accrete: step 30 skipped: constraint invoices_number_key on llm.invoices exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 30: constraint invoices_number_key on llm.invoices exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.invoices ADD CONSTRAINT invoices_number_key UNIQUE (number)$ddl$;
  END IF;
END
$accrete$;

-- step 31 · add constraint llm.invoices.invoices_organization_period_key
--   lock: ACCESS EXCLUSIVE on llm.invoices, brief
--   ALTER TABLE llm.invoices ADD CONSTRAINT invoices_organization_period_key UNIQUE (organization_id, period_start);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_organization_period_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_organization_period_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (organization_id, period_start)') THEN
      RAISE NOTICE 'accrete: step 31 skipped: constraint invoices_organization_period_key on llm.invoices exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 31: constraint invoices_organization_period_key on llm.invoices exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.invoices ADD CONSTRAINT invoices_organization_period_key UNIQUE (organization_id, period_start)$ddl$;
  END IF;
END
$accrete$;

-- step 32 · add constraint llm.invoices.invoices_period_check
--   lock: ACCESS EXCLUSIVE on llm.invoices, brief
--   ALTER TABLE llm.invoices ADD CONSTRAINT invoices_period_check CHECK ((period_end > period_start));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_period_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_period_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((period_end > period_start))') THEN
      RAISE NOTICE 'accrete: step 32 skipped: constraint invoices_period_check on llm.invoices exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 32: constraint invoices_period_check on llm.invoices exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.invoices ADD CONSTRAINT invoices_period_check CHECK ((period_end > period_start))$ddl$;
  END IF;
END
$accrete$;

-- step 33 · add constraint llm.invoices.invoices_pkey
--   lock: ACCESS EXCLUSIVE on llm.invoices, brief
--   ALTER TABLE llm.invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 33 skipped: constraint invoices_pkey on llm.invoices exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 33: constraint invoices_pkey on llm.invoices exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 34 · add constraint llm.invoices.invoices_total_check
--   lock: ACCESS EXCLUSIVE on llm.invoices, brief
--   ALTER TABLE llm.invoices ADD CONSTRAINT invoices_total_check CHECK ((total_usd >= (0)::numeric));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_total_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.invoices'::regclass AND c.conname = 'invoices_total_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((total_usd >= (0)::numeric))') THEN
      RAISE NOTICE 'accrete: step 34 skipped: constraint invoices_total_check on llm.invoices exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 34: constraint invoices_total_check on llm.invoices exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.invoices ADD CONSTRAINT invoices_total_check CHECK ((total_usd >= (0)::numeric))$ddl$;
  END IF;
END
$accrete$;

-- step 35 · add constraint llm.model_deployments.model_deployments_concurrency_check
--   lock: ACCESS EXCLUSIVE on llm.model_deployments, brief
--   ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_concurrency_check CHECK ((max_concurrency > 0));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_concurrency_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_concurrency_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((max_concurrency > 0))') THEN
      RAISE NOTICE 'accrete: step 35 skipped: constraint model_deployments_concurrency_check on llm.model_deployments exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 35: constraint model_deployments_concurrency_check on llm.model_deployments exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_concurrency_check CHECK ((max_concurrency > 0))$ddl$;
  END IF;
END
$accrete$;

-- step 36 · add constraint llm.model_deployments.model_deployments_pkey
--   lock: ACCESS EXCLUSIVE on llm.model_deployments, brief
--   ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 36 skipped: constraint model_deployments_pkey on llm.model_deployments exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 36: constraint model_deployments_pkey on llm.model_deployments exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 37 · add constraint llm.model_deployments.model_deployments_window_check
--   lock: ACCESS EXCLUSIVE on llm.model_deployments, brief
--   ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_window_check CHECK (((stopped_at IS NULL) OR (started_at IS NULL) OR (stopped_at >= started_at)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_window_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_window_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((stopped_at IS NULL) OR (started_at IS NULL) OR (stopped_at >= started_at)))') THEN
      RAISE NOTICE 'accrete: step 37 skipped: constraint model_deployments_window_check on llm.model_deployments exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 37: constraint model_deployments_window_check on llm.model_deployments exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_window_check CHECK (((stopped_at IS NULL) OR (started_at IS NULL) OR (stopped_at >= started_at)))$ddl$;
  END IF;
END
$accrete$;

-- step 38 · add constraint llm.model_permissions.model_permissions_limits_check
--   lock: ACCESS EXCLUSIVE on llm.model_permissions, brief
--   ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_limits_check CHECK ((((max_requests_per_day IS NULL) OR (max_requests_per_day >= 0)) AND ((max_tokens_per_day IS NULL) OR (max_tokens_per_day >= 0))));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_limits_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_limits_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((((max_requests_per_day IS NULL) OR (max_requests_per_day >= 0)) AND ((max_tokens_per_day IS NULL) OR (max_tokens_per_day >= 0))))') THEN
      RAISE NOTICE 'accrete: step 38 skipped: constraint model_permissions_limits_check on llm.model_permissions exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 38: constraint model_permissions_limits_check on llm.model_permissions exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_limits_check CHECK ((((max_requests_per_day IS NULL) OR (max_requests_per_day >= 0)) AND ((max_tokens_per_day IS NULL) OR (max_tokens_per_day >= 0))))$ddl$;
  END IF;
END
$accrete$;

-- step 39 · add constraint llm.model_permissions.model_permissions_pkey
--   lock: ACCESS EXCLUSIVE on llm.model_permissions, brief
--   ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 39 skipped: constraint model_permissions_pkey on llm.model_permissions exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 39: constraint model_permissions_pkey on llm.model_permissions exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 40 · add constraint llm.model_permissions.model_permissions_subject_key
--   lock: ACCESS EXCLUSIVE on llm.model_permissions, brief
--   ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_subject_key UNIQUE (model_id, subject_kind, subject_id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_subject_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_subject_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (model_id, subject_kind, subject_id)') THEN
      RAISE NOTICE 'accrete: step 40 skipped: constraint model_permissions_subject_key on llm.model_permissions exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 40: constraint model_permissions_subject_key on llm.model_permissions exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_subject_key UNIQUE (model_id, subject_kind, subject_id)$ddl$;
  END IF;
END
$accrete$;

-- step 41 · add constraint llm.model_pricing.model_pricing_model_from_key
--   lock: ACCESS EXCLUSIVE on llm.model_pricing, brief
--   ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_model_from_key UNIQUE (model_id, effective_from);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_model_from_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_model_from_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (model_id, effective_from)') THEN
      RAISE NOTICE 'accrete: step 41 skipped: constraint model_pricing_model_from_key on llm.model_pricing exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 41: constraint model_pricing_model_from_key on llm.model_pricing exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_model_from_key UNIQUE (model_id, effective_from)$ddl$;
  END IF;
END
$accrete$;

-- step 42 · add constraint llm.model_pricing.model_pricing_period_check
--   lock: ACCESS EXCLUSIVE on llm.model_pricing, brief
--   ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_period_check CHECK (((effective_to IS NULL) OR (effective_to > effective_from)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_period_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_period_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((effective_to IS NULL) OR (effective_to > effective_from)))') THEN
      RAISE NOTICE 'accrete: step 42 skipped: constraint model_pricing_period_check on llm.model_pricing exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 42: constraint model_pricing_period_check on llm.model_pricing exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_period_check CHECK (((effective_to IS NULL) OR (effective_to > effective_from)))$ddl$;
  END IF;
END
$accrete$;

-- step 43 · add constraint llm.model_pricing.model_pricing_pkey
--   lock: ACCESS EXCLUSIVE on llm.model_pricing, brief
--   ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 43 skipped: constraint model_pricing_pkey on llm.model_pricing exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 43: constraint model_pricing_pkey on llm.model_pricing exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 44 · add constraint llm.model_pricing.model_pricing_prices_check
--   lock: ACCESS EXCLUSIVE on llm.model_pricing, brief
--   ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_prices_check CHECK (((input_usd_per_mtok >= (0)::numeric) AND (output_usd_per_mtok >= (0)::numeric)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_prices_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_prices_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((input_usd_per_mtok >= (0)::numeric) AND (output_usd_per_mtok >= (0)::numeric)))') THEN
      RAISE NOTICE 'accrete: step 44 skipped: constraint model_pricing_prices_check on llm.model_pricing exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 44: constraint model_pricing_prices_check on llm.model_pricing exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_prices_check CHECK (((input_usd_per_mtok >= (0)::numeric) AND (output_usd_per_mtok >= (0)::numeric)))$ddl$;
  END IF;
END
$accrete$;

-- step 45 · add constraint llm.model_servers.model_servers_health_status_check
--   lock: ACCESS EXCLUSIVE on llm.model_servers, brief
--   ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_health_status_check CHECK (((health_status)::text = ANY (ARRAY[('unknown'::character varying)::text, ('healthy'::character varying)::text, ('degraded'::character varying)::text, ('down'::character varying)::text])));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_health_status_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_health_status_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((health_status)::text = ANY (ARRAY[(''unknown''::character varying)::text, (''healthy''::character varying)::text, (''degraded''::character varying)::text, (''down''::character varying)::text])))') THEN
      RAISE NOTICE 'accrete: step 45 skipped: constraint model_servers_health_status_check on llm.model_servers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 45: constraint model_servers_health_status_check on llm.model_servers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_health_status_check CHECK (((health_status)::text = ANY (ARRAY[('unknown'::character varying)::text, ('healthy'::character varying)::text, ('degraded'::character varying)::text, ('down'::character varying)::text])))$ddl$;
  END IF;
END
$accrete$;

-- step 46 · add constraint llm.model_servers.model_servers_host_port_key
--   lock: ACCESS EXCLUSIVE on llm.model_servers, brief
--   ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_host_port_key UNIQUE (host, port);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_host_port_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_host_port_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (host, port)') THEN
      RAISE NOTICE 'accrete: step 46 skipped: constraint model_servers_host_port_key on llm.model_servers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 46: constraint model_servers_host_port_key on llm.model_servers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_host_port_key UNIQUE (host, port)$ddl$;
  END IF;
END
$accrete$;

-- step 47 · add constraint llm.model_servers.model_servers_name_key
--   lock: ACCESS EXCLUSIVE on llm.model_servers, brief
--   ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_name_key UNIQUE (name);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_name_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_name_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (name)') THEN
      RAISE NOTICE 'accrete: step 47 skipped: constraint model_servers_name_key on llm.model_servers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 47: constraint model_servers_name_key on llm.model_servers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_name_key UNIQUE (name)$ddl$;
  END IF;
END
$accrete$;

-- step 48 · add constraint llm.model_servers.model_servers_pkey
--   lock: ACCESS EXCLUSIVE on llm.model_servers, brief
--   ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 48 skipped: constraint model_servers_pkey on llm.model_servers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 48: constraint model_servers_pkey on llm.model_servers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 49 · add constraint llm.model_servers.model_servers_port_check
--   lock: ACCESS EXCLUSIVE on llm.model_servers, brief
--   ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_port_check CHECK (((port >= 1) AND (port <= 65535)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_port_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_servers'::regclass AND c.conname = 'model_servers_port_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((port >= 1) AND (port <= 65535)))') THEN
      RAISE NOTICE 'accrete: step 49 skipped: constraint model_servers_port_check on llm.model_servers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 49: constraint model_servers_port_check on llm.model_servers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_servers ADD CONSTRAINT model_servers_port_check CHECK (((port >= 1) AND (port <= 65535)))$ddl$;
  END IF;
END
$accrete$;

-- step 50 · add constraint llm.models.models_capabilities_is_array
--   lock: ACCESS EXCLUSIVE on llm.models, brief
--   ALTER TABLE llm.models ADD CONSTRAINT models_capabilities_is_array CHECK ((jsonb_typeof(capabilities) = 'array'::text));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_capabilities_is_array') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_capabilities_is_array' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((jsonb_typeof(capabilities) = ''array''::text))') THEN
      RAISE NOTICE 'accrete: step 50 skipped: constraint models_capabilities_is_array on llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 50: constraint models_capabilities_is_array on llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.models ADD CONSTRAINT models_capabilities_is_array CHECK ((jsonb_typeof(capabilities) = 'array'::text))$ddl$;
  END IF;
END
$accrete$;

-- step 51 · add constraint llm.models.models_context_window_check
--   lock: ACCESS EXCLUSIVE on llm.models, brief
--   ALTER TABLE llm.models ADD CONSTRAINT models_context_window_check CHECK (((context_window IS NULL) OR (context_window > 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_context_window_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_context_window_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((context_window IS NULL) OR (context_window > 0)))') THEN
      RAISE NOTICE 'accrete: step 51 skipped: constraint models_context_window_check on llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 51: constraint models_context_window_check on llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.models ADD CONSTRAINT models_context_window_check CHECK (((context_window IS NULL) OR (context_window > 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 52 · add constraint llm.models.models_max_output_tokens_check
--   lock: ACCESS EXCLUSIVE on llm.models, brief
--   ALTER TABLE llm.models ADD CONSTRAINT models_max_output_tokens_check CHECK (((max_output_tokens IS NULL) OR (max_output_tokens > 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_max_output_tokens_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_max_output_tokens_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((max_output_tokens IS NULL) OR (max_output_tokens > 0)))') THEN
      RAISE NOTICE 'accrete: step 52 skipped: constraint models_max_output_tokens_check on llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 52: constraint models_max_output_tokens_check on llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.models ADD CONSTRAINT models_max_output_tokens_check CHECK (((max_output_tokens IS NULL) OR (max_output_tokens > 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 53 · add constraint llm.models.models_pkey
--   lock: ACCESS EXCLUSIVE on llm.models, brief
--   ALTER TABLE llm.models ADD CONSTRAINT models_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 53 skipped: constraint models_pkey on llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 53: constraint models_pkey on llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.models ADD CONSTRAINT models_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 54 · add constraint llm.models.models_provider_identifier_key
--   lock: ACCESS EXCLUSIVE on llm.models, brief
--   ALTER TABLE llm.models ADD CONSTRAINT models_provider_identifier_key UNIQUE (provider_id, model_identifier);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_provider_identifier_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_provider_identifier_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (provider_id, model_identifier)') THEN
      RAISE NOTICE 'accrete: step 54 skipped: constraint models_provider_identifier_key on llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 54: constraint models_provider_identifier_key on llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.models ADD CONSTRAINT models_provider_identifier_key UNIQUE (provider_id, model_identifier)$ddl$;
  END IF;
END
$accrete$;

-- step 55 · add constraint llm.providers.providers_api_key_source_check
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_api_key_source_check CHECK (((api_key_source)::text = ANY (ARRAY[('system'::character varying)::text, ('byok'::character varying)::text, ('environment'::character varying)::text])));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_api_key_source_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_api_key_source_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((api_key_source)::text = ANY (ARRAY[(''system''::character varying)::text, (''byok''::character varying)::text, (''environment''::character varying)::text])))') THEN
      RAISE NOTICE 'accrete: step 55 skipped: constraint providers_api_key_source_check on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 55: constraint providers_api_key_source_check on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_api_key_source_check CHECK (((api_key_source)::text = ANY (ARRAY[('system'::character varying)::text, ('byok'::character varying)::text, ('environment'::character varying)::text])))$ddl$;
  END IF;
END
$accrete$;

-- step 56 · add constraint llm.providers.providers_config_is_object
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_config_is_object CHECK ((jsonb_typeof(config) = 'object'::text));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_config_is_object') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_config_is_object' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((jsonb_typeof(config) = ''object''::text))') THEN
      RAISE NOTICE 'accrete: step 56 skipped: constraint providers_config_is_object on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 56: constraint providers_config_is_object on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_config_is_object CHECK ((jsonb_typeof(config) = 'object'::text))$ddl$;
  END IF;
END
$accrete$;

-- step 57 · add constraint llm.providers.providers_health_status_check
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_health_status_check CHECK (((health_status)::text = ANY (ARRAY[('unknown'::character varying)::text, ('healthy'::character varying)::text, ('degraded'::character varying)::text, ('down'::character varying)::text])));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_health_status_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_health_status_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((health_status)::text = ANY (ARRAY[(''unknown''::character varying)::text, (''healthy''::character varying)::text, (''degraded''::character varying)::text, (''down''::character varying)::text])))') THEN
      RAISE NOTICE 'accrete: step 57 skipped: constraint providers_health_status_check on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 57: constraint providers_health_status_check on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_health_status_check CHECK (((health_status)::text = ANY (ARRAY[('unknown'::character varying)::text, ('healthy'::character varying)::text, ('degraded'::character varying)::text, ('down'::character varying)::text])))$ddl$;
  END IF;
END
$accrete$;

-- step 58 · add constraint llm.providers.providers_pkey
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 58 skipped: constraint providers_pkey on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 58: constraint providers_pkey on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 59 · add constraint llm.providers.providers_priority_check
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_priority_check CHECK (((priority >= 0) AND (priority <= 1000)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_priority_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_priority_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((priority >= 0) AND (priority <= 1000)))') THEN
      RAISE NOTICE 'accrete: step 59 skipped: constraint providers_priority_check on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 59: constraint providers_priority_check on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_priority_check CHECK (((priority >= 0) AND (priority <= 1000)))$ddl$;
  END IF;
END
$accrete$;

-- step 60 · add constraint llm.providers.providers_slug_format
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_slug_format CHECK (((slug)::text ~ '^[a-z0-9][a-z0-9_-]*$'::text));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_slug_format') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_slug_format' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((slug)::text ~ ''^[a-z0-9][a-z0-9_-]*$''::text))') THEN
      RAISE NOTICE 'accrete: step 60 skipped: constraint providers_slug_format on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 60: constraint providers_slug_format on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_slug_format CHECK (((slug)::text ~ '^[a-z0-9][a-z0-9_-]*$'::text))$ddl$;
  END IF;
END
$accrete$;

-- step 61 · add constraint llm.providers.providers_slug_key
--   lock: ACCESS EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_slug_key UNIQUE (slug);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_slug_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_slug_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (slug)') THEN
      RAISE NOTICE 'accrete: step 61 skipped: constraint providers_slug_key on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 61: constraint providers_slug_key on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_slug_key UNIQUE (slug)$ddl$;
  END IF;
END
$accrete$;

-- step 62 · add constraint llm.routing_rules.routing_rules_fallback_check
--   lock: ACCESS EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_fallback_check CHECK ((fallback_model_id IS DISTINCT FROM model_id));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_fallback_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_fallback_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((fallback_model_id IS DISTINCT FROM model_id))') THEN
      RAISE NOTICE 'accrete: step 62 skipped: constraint routing_rules_fallback_check on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 62: constraint routing_rules_fallback_check on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_fallback_check CHECK ((fallback_model_id IS DISTINCT FROM model_id))$ddl$;
  END IF;
END
$accrete$;

-- step 63 · add constraint llm.routing_rules.routing_rules_name_key
--   lock: ACCESS EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_name_key UNIQUE (name);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_name_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_name_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (name)') THEN
      RAISE NOTICE 'accrete: step 63 skipped: constraint routing_rules_name_key on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 63: constraint routing_rules_name_key on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_name_key UNIQUE (name)$ddl$;
  END IF;
END
$accrete$;

-- step 64 · add constraint llm.routing_rules.routing_rules_pkey
--   lock: ACCESS EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 64 skipped: constraint routing_rules_pkey on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 64: constraint routing_rules_pkey on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 65 · add constraint llm.routing_rules.routing_rules_power_level_check
--   lock: ACCESS EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_power_level_check CHECK (((power_level)::text = ANY (ARRAY[('eco'::character varying)::text, ('balanced'::character varying)::text, ('precision'::character varying)::text])));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_power_level_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_power_level_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((power_level)::text = ANY (ARRAY[(''eco''::character varying)::text, (''balanced''::character varying)::text, (''precision''::character varying)::text])))') THEN
      RAISE NOTICE 'accrete: step 65 skipped: constraint routing_rules_power_level_check on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 65: constraint routing_rules_power_level_check on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_power_level_check CHECK (((power_level)::text = ANY (ARRAY[('eco'::character varying)::text, ('balanced'::character varying)::text, ('precision'::character varying)::text])))$ddl$;
  END IF;
END
$accrete$;

-- step 66 · add constraint llm.routing_rules.routing_rules_weight_check
--   lock: ACCESS EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_weight_check CHECK (((weight >= 0) AND (weight <= 1000)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_weight_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_weight_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((weight >= 0) AND (weight <= 1000)))') THEN
      RAISE NOTICE 'accrete: step 66 skipped: constraint routing_rules_weight_check on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 66: constraint routing_rules_weight_check on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_weight_check CHECK (((weight >= 0) AND (weight <= 1000)))$ddl$;
  END IF;
END
$accrete$;

-- step 67 · add constraint llm.tier_model_rules.tier_model_rules_markup_check
--   lock: ACCESS EXCLUSIVE on llm.tier_model_rules, brief
--   ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_markup_check CHECK ((markup_multiplier > (0)::numeric));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_markup_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_markup_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((markup_multiplier > (0)::numeric))') THEN
      RAISE NOTICE 'accrete: step 67 skipped: constraint tier_model_rules_markup_check on llm.tier_model_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 67: constraint tier_model_rules_markup_check on llm.tier_model_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_markup_check CHECK ((markup_multiplier > (0)::numeric))$ddl$;
  END IF;
END
$accrete$;

-- step 68 · add constraint llm.tier_model_rules.tier_model_rules_pkey
--   lock: ACCESS EXCLUSIVE on llm.tier_model_rules, brief
--   ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 68 skipped: constraint tier_model_rules_pkey on llm.tier_model_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 68: constraint tier_model_rules_pkey on llm.tier_model_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 69 · add constraint llm.tier_model_rules.tier_model_rules_requests_check
--   lock: ACCESS EXCLUSIVE on llm.tier_model_rules, brief
--   ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_requests_check CHECK (((max_requests_per_day IS NULL) OR (max_requests_per_day >= 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_requests_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_requests_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((max_requests_per_day IS NULL) OR (max_requests_per_day >= 0)))') THEN
      RAISE NOTICE 'accrete: step 69 skipped: constraint tier_model_rules_requests_check on llm.tier_model_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 69: constraint tier_model_rules_requests_check on llm.tier_model_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_requests_check CHECK (((max_requests_per_day IS NULL) OR (max_requests_per_day >= 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 70 · add constraint llm.tier_model_rules.tier_model_rules_tier_pattern_key
--   lock: ACCESS EXCLUSIVE on llm.tier_model_rules, brief
--   ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_tier_pattern_key UNIQUE (tier, model_pattern);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_tier_pattern_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.tier_model_rules'::regclass AND c.conname = 'tier_model_rules_tier_pattern_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (tier, model_pattern)') THEN
      RAISE NOTICE 'accrete: step 70 skipped: constraint tier_model_rules_tier_pattern_key on llm.tier_model_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 70: constraint tier_model_rules_tier_pattern_key on llm.tier_model_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.tier_model_rules ADD CONSTRAINT tier_model_rules_tier_pattern_key UNIQUE (tier, model_pattern)$ddl$;
  END IF;
END
$accrete$;

-- step 71 · add constraint llm.usage_logs.usage_logs_cost_check
--   lock: ACCESS EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_cost_check CHECK ((cost_usd >= (0)::numeric));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_cost_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_cost_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK ((cost_usd >= (0)::numeric))') THEN
      RAISE NOTICE 'accrete: step 71 skipped: constraint usage_logs_cost_check on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 71: constraint usage_logs_cost_check on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_cost_check CHECK ((cost_usd >= (0)::numeric))$ddl$;
  END IF;
END
$accrete$;

-- step 72 · add constraint llm.usage_logs.usage_logs_latency_check
--   lock: ACCESS EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_latency_check CHECK (((latency_ms IS NULL) OR (latency_ms >= 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_latency_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_latency_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((latency_ms IS NULL) OR (latency_ms >= 0)))') THEN
      RAISE NOTICE 'accrete: step 72 skipped: constraint usage_logs_latency_check on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 72: constraint usage_logs_latency_check on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_latency_check CHECK (((latency_ms IS NULL) OR (latency_ms >= 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 73 · add constraint llm.usage_logs.usage_logs_pkey
--   lock: ACCESS EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 73 skipped: constraint usage_logs_pkey on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 73: constraint usage_logs_pkey on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 74 · add constraint llm.usage_logs.usage_logs_request_id_key
--   lock: ACCESS EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_request_id_key UNIQUE (request_id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_request_id_key') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_request_id_key' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'UNIQUE (request_id)') THEN
      RAISE NOTICE 'accrete: step 74 skipped: constraint usage_logs_request_id_key on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 74: constraint usage_logs_request_id_key on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_request_id_key UNIQUE (request_id)$ddl$;
  END IF;
END
$accrete$;

-- step 75 · add constraint llm.usage_logs.usage_logs_tokens_check
--   lock: ACCESS EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_tokens_check CHECK (((input_tokens >= 0) AND (output_tokens >= 0)));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_tokens_check') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_tokens_check' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'CHECK (((input_tokens >= 0) AND (output_tokens >= 0)))') THEN
      RAISE NOTICE 'accrete: step 75 skipped: constraint usage_logs_tokens_check on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 75: constraint usage_logs_tokens_check on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_tokens_check CHECK (((input_tokens >= 0) AND (output_tokens >= 0)))$ddl$;
  END IF;
END
$accrete$;

-- step 76 · add constraint llm.user_api_keys.user_api_keys_pkey
--   lock: ACCESS EXCLUSIVE on llm.user_api_keys, brief
--   ALTER TABLE llm.user_api_keys ADD CONSTRAINT user_api_keys_pkey PRIMARY KEY (id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.user_api_keys'::regclass AND c.conname = 'user_api_keys_pkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.user_api_keys'::regclass AND c.conname = 'user_api_keys_pkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'PRIMARY KEY (id)') THEN
      RAISE NOTICE 'accrete: step 76 skipped: constraint user_api_keys_pkey on llm.user_api_keys exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 76: constraint user_api_keys_pkey on llm.user_api_keys exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.user_api_keys ADD CONSTRAINT user_api_keys_pkey PRIMARY KEY (id)$ddl$;
  END IF;
END
$accrete$;

-- step 77 · add index audit.audit_log_actor_idx
--   lock: SHARE on audit.audit_log, brief
--   CREATE INDEX audit_log_actor_idx ON audit.audit_log USING btree (actor_id, occurred_at DESC);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('audit.audit_log_actor_idx') AND i.indrelid = pg_catalog.to_regclass('audit.audit_log') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (actor_id, occurred_at DESC)') THEN
    RAISE NOTICE 'accrete: step 77 skipped: index audit.audit_log_actor_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('audit.audit_log_actor_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX audit.audit_log_actor_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX audit_log_actor_idx ON audit.audit_log USING btree (actor_id, occurred_at DESC)$ddl$;
  ELSIF pg_catalog.to_regclass('audit.audit_log_actor_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 77: index audit.audit_log_actor_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX audit_log_actor_idx ON audit.audit_log USING btree (actor_id, occurred_at DESC)$ddl$;
  END IF;
END
$accrete$;

-- step 78 · add index audit.audit_log_details_idx
--   lock: SHARE on audit.audit_log, brief
--   CREATE INDEX audit_log_details_idx ON audit.audit_log USING gin (details jsonb_path_ops);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('audit.audit_log_details_idx') AND i.indrelid = pg_catalog.to_regclass('audit.audit_log') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING gin (details jsonb_path_ops)') THEN
    RAISE NOTICE 'accrete: step 78 skipped: index audit.audit_log_details_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('audit.audit_log_details_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX audit.audit_log_details_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX audit_log_details_idx ON audit.audit_log USING gin (details jsonb_path_ops)$ddl$;
  ELSIF pg_catalog.to_regclass('audit.audit_log_details_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 78: index audit.audit_log_details_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX audit_log_details_idx ON audit.audit_log USING gin (details jsonb_path_ops)$ddl$;
  END IF;
END
$accrete$;

-- step 79 · add index audit.audit_log_resource_idx
--   lock: SHARE on audit.audit_log, brief
--   CREATE INDEX audit_log_resource_idx ON audit.audit_log USING btree (resource_type, resource_id, occurred_at DESC);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('audit.audit_log_resource_idx') AND i.indrelid = pg_catalog.to_regclass('audit.audit_log') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (resource_type, resource_id, occurred_at DESC)') THEN
    RAISE NOTICE 'accrete: step 79 skipped: index audit.audit_log_resource_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('audit.audit_log_resource_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX audit.audit_log_resource_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX audit_log_resource_idx ON audit.audit_log USING btree (resource_type, resource_id, occurred_at DESC)$ddl$;
  ELSIF pg_catalog.to_regclass('audit.audit_log_resource_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 79: index audit.audit_log_resource_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX audit_log_resource_idx ON audit.audit_log USING btree (resource_type, resource_id, occurred_at DESC)$ddl$;
  END IF;
END
$accrete$;

-- step 80 · add index llm.daily_cost_summary_provider_day_idx
--   lock: SHARE on llm.daily_cost_summary, brief
--   CREATE INDEX daily_cost_summary_provider_day_idx ON llm.daily_cost_summary USING btree (provider_id, day);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.daily_cost_summary_provider_day_idx') AND i.indrelid = pg_catalog.to_regclass('llm.daily_cost_summary') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (provider_id, day)') THEN
    RAISE NOTICE 'accrete: step 80 skipped: index llm.daily_cost_summary_provider_day_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.daily_cost_summary_provider_day_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.daily_cost_summary_provider_day_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX daily_cost_summary_provider_day_idx ON llm.daily_cost_summary USING btree (provider_id, day)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.daily_cost_summary_provider_day_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 80: index llm.daily_cost_summary_provider_day_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX daily_cost_summary_provider_day_idx ON llm.daily_cost_summary USING btree (provider_id, day)$ddl$;
  END IF;
END
$accrete$;

-- step 81 · add index llm.installed_models_model_idx
--   lock: SHARE on llm.installed_models, brief
--   CREATE INDEX installed_models_model_idx ON llm.installed_models USING btree (model_id) WHERE (model_id IS NOT NULL);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.installed_models_model_idx') AND i.indrelid = pg_catalog.to_regclass('llm.installed_models') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (model_id) WHERE (model_id IS NOT NULL)') THEN
    RAISE NOTICE 'accrete: step 81 skipped: index llm.installed_models_model_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.installed_models_model_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.installed_models_model_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX installed_models_model_idx ON llm.installed_models USING btree (model_id) WHERE (model_id IS NOT NULL)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.installed_models_model_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 81: index llm.installed_models_model_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX installed_models_model_idx ON llm.installed_models USING btree (model_id) WHERE (model_id IS NOT NULL)$ddl$;
  END IF;
END
$accrete$;

-- step 82 · add index llm.invoices_unpaid_idx
--   lock: SHARE on llm.invoices, brief
--   CREATE INDEX invoices_unpaid_idx ON llm.invoices USING btree (issued_at) WHERE ((paid_at IS NULL) AND (issued_at IS NOT NULL));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.invoices_unpaid_idx') AND i.indrelid = pg_catalog.to_regclass('llm.invoices') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (issued_at) WHERE ((paid_at IS NULL) AND (issued_at IS NOT NULL))') THEN
    RAISE NOTICE 'accrete: step 82 skipped: index llm.invoices_unpaid_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.invoices_unpaid_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.invoices_unpaid_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX invoices_unpaid_idx ON llm.invoices USING btree (issued_at) WHERE ((paid_at IS NULL) AND (issued_at IS NOT NULL))$ddl$;
  ELSIF pg_catalog.to_regclass('llm.invoices_unpaid_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 82: index llm.invoices_unpaid_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX invoices_unpaid_idx ON llm.invoices USING btree (issued_at) WHERE ((paid_at IS NULL) AND (issued_at IS NOT NULL))$ddl$;
  END IF;
END
$accrete$;

-- step 83 · add index llm.model_deployments_one_live_idx
--   lock: SHARE on llm.model_deployments, brief
--   CREATE UNIQUE INDEX model_deployments_one_live_idx ON llm.model_deployments USING btree (installed_model_id) WHERE (status = ANY (ARRAY['pending'::llm.deployment_status, 'starting'::llm.deployment_status, 'running'::llm.deployment_status]));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_deployments_one_live_idx') AND i.indrelid = pg_catalog.to_regclass('llm.model_deployments') AND i.indisvalid AND i.indisunique = true AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (installed_model_id) WHERE (status = ANY (ARRAY[''pending''::llm.deployment_status, ''starting''::llm.deployment_status, ''running''::llm.deployment_status]))') THEN
    RAISE NOTICE 'accrete: step 83 skipped: index llm.model_deployments_one_live_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_deployments_one_live_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.model_deployments_one_live_idx$ddl$;
    EXECUTE $ddl$CREATE UNIQUE INDEX model_deployments_one_live_idx ON llm.model_deployments USING btree (installed_model_id) WHERE (status = ANY (ARRAY['pending'::llm.deployment_status, 'starting'::llm.deployment_status, 'running'::llm.deployment_status]))$ddl$;
  ELSIF pg_catalog.to_regclass('llm.model_deployments_one_live_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 83: index llm.model_deployments_one_live_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE UNIQUE INDEX model_deployments_one_live_idx ON llm.model_deployments USING btree (installed_model_id) WHERE (status = ANY (ARRAY['pending'::llm.deployment_status, 'starting'::llm.deployment_status, 'running'::llm.deployment_status]))$ddl$;
  END IF;
END
$accrete$;

-- step 84 · add index llm.model_deployments_server_status_idx
--   lock: SHARE on llm.model_deployments, brief
--   CREATE INDEX model_deployments_server_status_idx ON llm.model_deployments USING btree (server_id, status);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_deployments_server_status_idx') AND i.indrelid = pg_catalog.to_regclass('llm.model_deployments') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (server_id, status)') THEN
    RAISE NOTICE 'accrete: step 84 skipped: index llm.model_deployments_server_status_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_deployments_server_status_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.model_deployments_server_status_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX model_deployments_server_status_idx ON llm.model_deployments USING btree (server_id, status)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.model_deployments_server_status_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 84: index llm.model_deployments_server_status_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX model_deployments_server_status_idx ON llm.model_deployments USING btree (server_id, status)$ddl$;
  END IF;
END
$accrete$;

-- step 85 · add index llm.model_permissions_subject_idx
--   lock: SHARE on llm.model_permissions, brief
--   CREATE INDEX model_permissions_subject_idx ON llm.model_permissions USING btree (subject_kind, subject_id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_permissions_subject_idx') AND i.indrelid = pg_catalog.to_regclass('llm.model_permissions') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (subject_kind, subject_id)') THEN
    RAISE NOTICE 'accrete: step 85 skipped: index llm.model_permissions_subject_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_permissions_subject_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.model_permissions_subject_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX model_permissions_subject_idx ON llm.model_permissions USING btree (subject_kind, subject_id)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.model_permissions_subject_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 85: index llm.model_permissions_subject_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX model_permissions_subject_idx ON llm.model_permissions USING btree (subject_kind, subject_id)$ddl$;
  END IF;
END
$accrete$;

-- step 86 · add index llm.model_pricing_current_key
--   lock: SHARE on llm.model_pricing, brief
--   CREATE UNIQUE INDEX model_pricing_current_key ON llm.model_pricing USING btree (model_id) WHERE (effective_to IS NULL);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_pricing_current_key') AND i.indrelid = pg_catalog.to_regclass('llm.model_pricing') AND i.indisvalid AND i.indisunique = true AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (model_id) WHERE (effective_to IS NULL)') THEN
    RAISE NOTICE 'accrete: step 86 skipped: index llm.model_pricing_current_key exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.model_pricing_current_key') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.model_pricing_current_key$ddl$;
    EXECUTE $ddl$CREATE UNIQUE INDEX model_pricing_current_key ON llm.model_pricing USING btree (model_id) WHERE (effective_to IS NULL)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.model_pricing_current_key') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 86: index llm.model_pricing_current_key exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE UNIQUE INDEX model_pricing_current_key ON llm.model_pricing USING btree (model_id) WHERE (effective_to IS NULL)$ddl$;
  END IF;
END
$accrete$;

-- step 87 · add index llm.models_available_idx
--   lock: SHARE on llm.models, brief
--   CREATE INDEX models_available_idx ON llm.models USING btree (provider_id) WHERE (enabled AND (retired_at IS NULL));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.models_available_idx') AND i.indrelid = pg_catalog.to_regclass('llm.models') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (provider_id) WHERE (enabled AND (retired_at IS NULL))') THEN
    RAISE NOTICE 'accrete: step 87 skipped: index llm.models_available_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.models_available_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.models_available_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX models_available_idx ON llm.models USING btree (provider_id) WHERE (enabled AND (retired_at IS NULL))$ddl$;
  ELSIF pg_catalog.to_regclass('llm.models_available_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 87: index llm.models_available_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX models_available_idx ON llm.models USING btree (provider_id) WHERE (enabled AND (retired_at IS NULL))$ddl$;
  END IF;
END
$accrete$;

-- step 88 · add index llm.models_capabilities_idx
--   lock: SHARE on llm.models, brief
--   CREATE INDEX models_capabilities_idx ON llm.models USING gin (capabilities jsonb_path_ops);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.models_capabilities_idx') AND i.indrelid = pg_catalog.to_regclass('llm.models') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING gin (capabilities jsonb_path_ops)') THEN
    RAISE NOTICE 'accrete: step 88 skipped: index llm.models_capabilities_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.models_capabilities_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.models_capabilities_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX models_capabilities_idx ON llm.models USING gin (capabilities jsonb_path_ops)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.models_capabilities_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 88: index llm.models_capabilities_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX models_capabilities_idx ON llm.models USING gin (capabilities jsonb_path_ops)$ddl$;
  END IF;
END
$accrete$;

-- step 89 · add index llm.models_identifier_idx
--   lock: SHARE on llm.models, brief
--   CREATE INDEX models_identifier_idx ON llm.models USING btree (model_identifier);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.models_identifier_idx') AND i.indrelid = pg_catalog.to_regclass('llm.models') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (model_identifier)') THEN
    RAISE NOTICE 'accrete: step 89 skipped: index llm.models_identifier_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.models_identifier_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.models_identifier_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX models_identifier_idx ON llm.models USING btree (model_identifier)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.models_identifier_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 89: index llm.models_identifier_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX models_identifier_idx ON llm.models USING btree (model_identifier)$ddl$;
  END IF;
END
$accrete$;

-- step 90 · add index llm.providers_enabled_priority_idx
--   lock: SHARE on llm.providers, brief
--   CREATE INDEX providers_enabled_priority_idx ON llm.providers USING btree (priority DESC) WHERE enabled;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.providers_enabled_priority_idx') AND i.indrelid = pg_catalog.to_regclass('llm.providers') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (priority DESC) WHERE enabled') THEN
    RAISE NOTICE 'accrete: step 90 skipped: index llm.providers_enabled_priority_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.providers_enabled_priority_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.providers_enabled_priority_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX providers_enabled_priority_idx ON llm.providers USING btree (priority DESC) WHERE enabled$ddl$;
  ELSIF pg_catalog.to_regclass('llm.providers_enabled_priority_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 90: index llm.providers_enabled_priority_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX providers_enabled_priority_idx ON llm.providers USING btree (priority DESC) WHERE enabled$ddl$;
  END IF;
END
$accrete$;

-- step 91 · add index llm.providers_name_lower_key
--   lock: SHARE on llm.providers, brief
--   CREATE UNIQUE INDEX providers_name_lower_key ON llm.providers USING btree (lower((name)::text));
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.providers_name_lower_key') AND i.indrelid = pg_catalog.to_regclass('llm.providers') AND i.indisvalid AND i.indisunique = true AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (lower((name)::text))') THEN
    RAISE NOTICE 'accrete: step 91 skipped: index llm.providers_name_lower_key exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.providers_name_lower_key') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.providers_name_lower_key$ddl$;
    EXECUTE $ddl$CREATE UNIQUE INDEX providers_name_lower_key ON llm.providers USING btree (lower((name)::text))$ddl$;
  ELSIF pg_catalog.to_regclass('llm.providers_name_lower_key') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 91: index llm.providers_name_lower_key exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE UNIQUE INDEX providers_name_lower_key ON llm.providers USING btree (lower((name)::text))$ddl$;
  END IF;
END
$accrete$;

-- step 92 · add index llm.routing_rules_lookup_idx
--   lock: SHARE on llm.routing_rules, brief
--   CREATE INDEX routing_rules_lookup_idx ON llm.routing_rules USING btree (power_level, tier) WHERE enabled;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.routing_rules_lookup_idx') AND i.indrelid = pg_catalog.to_regclass('llm.routing_rules') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (power_level, tier) WHERE enabled') THEN
    RAISE NOTICE 'accrete: step 92 skipped: index llm.routing_rules_lookup_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.routing_rules_lookup_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.routing_rules_lookup_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX routing_rules_lookup_idx ON llm.routing_rules USING btree (power_level, tier) WHERE enabled$ddl$;
  ELSIF pg_catalog.to_regclass('llm.routing_rules_lookup_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 92: index llm.routing_rules_lookup_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX routing_rules_lookup_idx ON llm.routing_rules USING btree (power_level, tier) WHERE enabled$ddl$;
  END IF;
END
$accrete$;

-- step 93 · add index llm.tier_model_rules_lookup_idx
--   lock: SHARE on llm.tier_model_rules, brief
--   CREATE INDEX tier_model_rules_lookup_idx ON llm.tier_model_rules USING btree (tier, priority DESC) WHERE allowed;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.tier_model_rules_lookup_idx') AND i.indrelid = pg_catalog.to_regclass('llm.tier_model_rules') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (tier, priority DESC) WHERE allowed') THEN
    RAISE NOTICE 'accrete: step 93 skipped: index llm.tier_model_rules_lookup_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.tier_model_rules_lookup_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.tier_model_rules_lookup_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX tier_model_rules_lookup_idx ON llm.tier_model_rules USING btree (tier, priority DESC) WHERE allowed$ddl$;
  ELSIF pg_catalog.to_regclass('llm.tier_model_rules_lookup_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 93: index llm.tier_model_rules_lookup_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX tier_model_rules_lookup_idx ON llm.tier_model_rules USING btree (tier, priority DESC) WHERE allowed$ddl$;
  END IF;
END
$accrete$;

-- step 94 · add index llm.usage_logs_errors_idx
--   lock: SHARE on llm.usage_logs, brief
--   CREATE INDEX usage_logs_errors_idx ON llm.usage_logs USING btree (created_at) WHERE (error IS NOT NULL);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.usage_logs_errors_idx') AND i.indrelid = pg_catalog.to_regclass('llm.usage_logs') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (created_at) WHERE (error IS NOT NULL)') THEN
    RAISE NOTICE 'accrete: step 94 skipped: index llm.usage_logs_errors_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.usage_logs_errors_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.usage_logs_errors_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX usage_logs_errors_idx ON llm.usage_logs USING btree (created_at) WHERE (error IS NOT NULL)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.usage_logs_errors_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 94: index llm.usage_logs_errors_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX usage_logs_errors_idx ON llm.usage_logs USING btree (created_at) WHERE (error IS NOT NULL)$ddl$;
  END IF;
END
$accrete$;

-- step 95 · add index llm.usage_logs_user_created_idx
--   lock: SHARE on llm.usage_logs, brief
--   CREATE INDEX usage_logs_user_created_idx ON llm.usage_logs USING btree (user_id, created_at DESC);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.usage_logs_user_created_idx') AND i.indrelid = pg_catalog.to_regclass('llm.usage_logs') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (user_id, created_at DESC)') THEN
    RAISE NOTICE 'accrete: step 95 skipped: index llm.usage_logs_user_created_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.usage_logs_user_created_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.usage_logs_user_created_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX usage_logs_user_created_idx ON llm.usage_logs USING btree (user_id, created_at DESC)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.usage_logs_user_created_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 95: index llm.usage_logs_user_created_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX usage_logs_user_created_idx ON llm.usage_logs USING btree (user_id, created_at DESC)$ddl$;
  END IF;
END
$accrete$;

-- step 96 · add index llm.usage_logs_utc_day_idx
--   lock: SHARE on llm.usage_logs, brief
--   CREATE INDEX usage_logs_utc_day_idx ON llm.usage_logs USING btree ((((created_at AT TIME ZONE 'UTC'::text))::date), provider_id);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.usage_logs_utc_day_idx') AND i.indrelid = pg_catalog.to_regclass('llm.usage_logs') AND i.indisvalid AND i.indisunique = false AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree ((((created_at AT TIME ZONE ''UTC''::text))::date), provider_id)') THEN
    RAISE NOTICE 'accrete: step 96 skipped: index llm.usage_logs_utc_day_idx exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.usage_logs_utc_day_idx') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.usage_logs_utc_day_idx$ddl$;
    EXECUTE $ddl$CREATE INDEX usage_logs_utc_day_idx ON llm.usage_logs USING btree ((((created_at AT TIME ZONE 'UTC'::text))::date), provider_id)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.usage_logs_utc_day_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 96: index llm.usage_logs_utc_day_idx exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE INDEX usage_logs_utc_day_idx ON llm.usage_logs USING btree ((((created_at AT TIME ZONE 'UTC'::text))::date), provider_id)$ddl$;
  END IF;
END
$accrete$;

-- step 97 · add index llm.user_api_keys_active_key
--   lock: SHARE on llm.user_api_keys, brief
--   CREATE UNIQUE INDEX user_api_keys_active_key ON llm.user_api_keys USING btree (user_id, provider_id) WHERE (revoked_at IS NULL);
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.user_api_keys_active_key') AND i.indrelid = pg_catalog.to_regclass('llm.user_api_keys') AND i.indisvalid AND i.indisunique = true AND pg_catalog.ltrim(pg_catalog.substr(pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.strpos(pg_catalog.pg_get_indexdef(i.indexrelid), ' USING '))) = 'USING btree (user_id, provider_id) WHERE (revoked_at IS NULL)') THEN
    RAISE NOTICE 'accrete: step 97 skipped: index llm.user_api_keys_active_key exists as planned';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass('llm.user_api_keys_active_key') AND NOT i.indisvalid) THEN
    EXECUTE $ddl$DROP INDEX llm.user_api_keys_active_key$ddl$;
    EXECUTE $ddl$CREATE UNIQUE INDEX user_api_keys_active_key ON llm.user_api_keys USING btree (user_id, provider_id) WHERE (revoked_at IS NULL)$ddl$;
  ELSIF pg_catalog.to_regclass('llm.user_api_keys_active_key') IS NOT NULL THEN
    RAISE EXCEPTION 'accrete: step 97: index llm.user_api_keys_active_key exists with another definition; accrete does not change it';
  ELSE
    EXECUTE $ddl$CREATE UNIQUE INDEX user_api_keys_active_key ON llm.user_api_keys USING btree (user_id, provider_id) WHERE (revoked_at IS NULL)$ddl$;
  END IF;
END
$accrete$;

-- step 98 · add constraint llm.daily_cost_summary.daily_cost_summary_provider_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.daily_cost_summary, brief
--   ALTER TABLE llm.daily_cost_summary ADD CONSTRAINT daily_cost_summary_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.daily_cost_summary'::regclass AND c.conname = 'daily_cost_summary_provider_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.daily_cost_summary'::regclass AND c.conname = 'daily_cost_summary_provider_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 98 skipped: constraint daily_cost_summary_provider_id_fkey on llm.daily_cost_summary exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 98: constraint daily_cost_summary_provider_id_fkey on llm.daily_cost_summary exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.daily_cost_summary ADD CONSTRAINT daily_cost_summary_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 99 · add constraint llm.installed_models.installed_models_model_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.installed_models, brief
--   ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE SET NULL;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_model_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_model_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE SET NULL') THEN
      RAISE NOTICE 'accrete: step 99 skipped: constraint installed_models_model_id_fkey on llm.installed_models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 99: constraint installed_models_model_id_fkey on llm.installed_models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE SET NULL$ddl$;
  END IF;
END
$accrete$;

-- step 100 · add constraint llm.installed_models.installed_models_server_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.installed_models, brief
--   ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_server_id_fkey FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_server_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.installed_models'::regclass AND c.conname = 'installed_models_server_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 100 skipped: constraint installed_models_server_id_fkey on llm.installed_models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 100: constraint installed_models_server_id_fkey on llm.installed_models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.installed_models ADD CONSTRAINT installed_models_server_id_fkey FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 101 · add constraint llm.model_deployments.model_deployments_installed_model_fk
--   lock: SHARE ROW EXCLUSIVE on llm.model_deployments, brief
--   ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_installed_model_fk FOREIGN KEY (installed_model_id) REFERENCES llm.installed_models(id) ON DELETE RESTRICT;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_installed_model_fk') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_installed_model_fk' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (installed_model_id) REFERENCES llm.installed_models(id) ON DELETE RESTRICT') THEN
      RAISE NOTICE 'accrete: step 101 skipped: constraint model_deployments_installed_model_fk on llm.model_deployments exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 101: constraint model_deployments_installed_model_fk on llm.model_deployments exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_installed_model_fk FOREIGN KEY (installed_model_id) REFERENCES llm.installed_models(id) ON DELETE RESTRICT$ddl$;
  END IF;
END
$accrete$;

-- step 102 · add constraint llm.model_deployments.model_deployments_server_fk
--   lock: SHARE ROW EXCLUSIVE on llm.model_deployments, brief
--   ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_server_fk FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_server_fk') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_deployments'::regclass AND c.conname = 'model_deployments_server_fk' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 102 skipped: constraint model_deployments_server_fk on llm.model_deployments exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 102: constraint model_deployments_server_fk on llm.model_deployments exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_deployments ADD CONSTRAINT model_deployments_server_fk FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 103 · add constraint llm.model_permissions.model_permissions_model_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.model_permissions, brief
--   ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_model_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_permissions'::regclass AND c.conname = 'model_permissions_model_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 103 skipped: constraint model_permissions_model_id_fkey on llm.model_permissions exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 103: constraint model_permissions_model_id_fkey on llm.model_permissions exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_permissions ADD CONSTRAINT model_permissions_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 104 · add constraint llm.model_pricing.model_pricing_model_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.model_pricing, brief
--   ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_model_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.model_pricing'::regclass AND c.conname = 'model_pricing_model_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 104 skipped: constraint model_pricing_model_id_fkey on llm.model_pricing exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 104: constraint model_pricing_model_id_fkey on llm.model_pricing exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.model_pricing ADD CONSTRAINT model_pricing_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 105 · add constraint llm.models.models_provider_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.models, brief
--   ALTER TABLE llm.models ADD CONSTRAINT models_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_provider_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.models'::regclass AND c.conname = 'models_provider_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 105 skipped: constraint models_provider_id_fkey on llm.models exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 105: constraint models_provider_id_fkey on llm.models exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.models ADD CONSTRAINT models_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 106 · add constraint llm.providers.providers_default_model_fk
--   lock: SHARE ROW EXCLUSIVE on llm.providers, brief
--   ALTER TABLE llm.providers ADD CONSTRAINT providers_default_model_fk FOREIGN KEY (default_model_id) REFERENCES llm.models(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_default_model_fk') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.providers'::regclass AND c.conname = 'providers_default_model_fk' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (default_model_id) REFERENCES llm.models(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED') THEN
      RAISE NOTICE 'accrete: step 106 skipped: constraint providers_default_model_fk on llm.providers exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 106: constraint providers_default_model_fk on llm.providers exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.providers ADD CONSTRAINT providers_default_model_fk FOREIGN KEY (default_model_id) REFERENCES llm.models(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED$ddl$;
  END IF;
END
$accrete$;

-- step 107 · add constraint llm.routing_rules.routing_rules_fallback_model_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_fallback_model_id_fkey FOREIGN KEY (fallback_model_id) REFERENCES llm.models(id) ON DELETE SET NULL;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_fallback_model_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_fallback_model_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (fallback_model_id) REFERENCES llm.models(id) ON DELETE SET NULL') THEN
      RAISE NOTICE 'accrete: step 107 skipped: constraint routing_rules_fallback_model_id_fkey on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 107: constraint routing_rules_fallback_model_id_fkey on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_fallback_model_id_fkey FOREIGN KEY (fallback_model_id) REFERENCES llm.models(id) ON DELETE SET NULL$ddl$;
  END IF;
END
$accrete$;

-- step 108 · add constraint llm.routing_rules.routing_rules_model_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.routing_rules, brief
--   ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_model_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.routing_rules'::regclass AND c.conname = 'routing_rules_model_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 108 skipped: constraint routing_rules_model_id_fkey on llm.routing_rules exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 108: constraint routing_rules_model_id_fkey on llm.routing_rules exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.routing_rules ADD CONSTRAINT routing_rules_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 109 · add constraint llm.usage_logs.usage_logs_deployment_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES llm.model_deployments(id) ON DELETE SET NULL;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_deployment_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_deployment_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (deployment_id) REFERENCES llm.model_deployments(id) ON DELETE SET NULL') THEN
      RAISE NOTICE 'accrete: step 109 skipped: constraint usage_logs_deployment_id_fkey on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 109: constraint usage_logs_deployment_id_fkey on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES llm.model_deployments(id) ON DELETE SET NULL$ddl$;
  END IF;
END
$accrete$;

-- step 110 · add constraint llm.usage_logs.usage_logs_model_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE SET NULL;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_model_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_model_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE SET NULL') THEN
      RAISE NOTICE 'accrete: step 110 skipped: constraint usage_logs_model_id_fkey on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 110: constraint usage_logs_model_id_fkey on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_model_id_fkey FOREIGN KEY (model_id) REFERENCES llm.models(id) ON DELETE SET NULL$ddl$;
  END IF;
END
$accrete$;

-- step 111 · add constraint llm.usage_logs.usage_logs_provider_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE SET NULL;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_provider_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_provider_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE SET NULL') THEN
      RAISE NOTICE 'accrete: step 111 skipped: constraint usage_logs_provider_id_fkey on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 111: constraint usage_logs_provider_id_fkey on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE SET NULL$ddl$;
  END IF;
END
$accrete$;

-- step 112 · add constraint llm.usage_logs.usage_logs_server_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.usage_logs, brief
--   ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_server_id_fkey FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE SET NULL;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_server_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.usage_logs'::regclass AND c.conname = 'usage_logs_server_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE SET NULL') THEN
      RAISE NOTICE 'accrete: step 112 skipped: constraint usage_logs_server_id_fkey on llm.usage_logs exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 112: constraint usage_logs_server_id_fkey on llm.usage_logs exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.usage_logs ADD CONSTRAINT usage_logs_server_id_fkey FOREIGN KEY (server_id) REFERENCES llm.model_servers(id) ON DELETE SET NULL$ddl$;
  END IF;
END
$accrete$;

-- step 113 · add constraint llm.user_api_keys.user_api_keys_provider_id_fkey
--   lock: SHARE ROW EXCLUSIVE on llm.user_api_keys, brief
--   ALTER TABLE llm.user_api_keys ADD CONSTRAINT user_api_keys_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE;
DO $accrete$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.user_api_keys'::regclass AND c.conname = 'user_api_keys_provider_id_fkey') THEN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = 'llm.user_api_keys'::regclass AND c.conname = 'user_api_keys_provider_id_fkey' AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = 'FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE') THEN
      RAISE NOTICE 'accrete: step 113 skipped: constraint user_api_keys_provider_id_fkey on llm.user_api_keys exists as planned';
    ELSE
      RAISE EXCEPTION 'accrete: step 113: constraint user_api_keys_provider_id_fkey on llm.user_api_keys exists with another definition; accrete does not change it (see the plan''s header for what differs)';
    END IF;
  ELSE
    EXECUTE $ddl$ALTER TABLE llm.user_api_keys ADD CONSTRAINT user_api_keys_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES llm.providers(id) ON DELETE CASCADE$ddl$;
  END IF;
END
$accrete$;

-- step 114 · add schema audit (comment)
--   COMMENT ON SCHEMA audit IS 'Append-only audit trail of administrative actions.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description((SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'audit'), 'pg_namespace') IS NULL THEN
    EXECUTE $ddl$COMMENT ON SCHEMA audit IS 'Append-only audit trail of administrative actions.'$ddl$;
  ELSIF pg_catalog.obj_description((SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'audit'), 'pg_namespace') = 'Append-only audit trail of administrative actions.' THEN
    RAISE NOTICE 'accrete: step 114 skipped: the comment on schema audit is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 114: schema audit has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 115 · add schema llm (comment)
--   COMMENT ON SCHEMA llm IS 'LLM management: cloud providers, models, local model servers, deployments, access rules, usage and billing.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description((SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'llm'), 'pg_namespace') IS NULL THEN
    EXECUTE $ddl$COMMENT ON SCHEMA llm IS 'LLM management: cloud providers, models, local model servers, deployments, access rules, usage and billing.'$ddl$;
  ELSIF pg_catalog.obj_description((SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'llm'), 'pg_namespace') = 'LLM management: cloud providers, models, local model servers, deployments, access rules, usage and billing.' THEN
    RAISE NOTICE 'accrete: step 115 skipped: the comment on schema llm is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 115: schema llm has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 116 · add table audit.audit_log (comment)
--   COMMENT ON TABLE audit.audit_log IS 'Append-only record of administrative actions.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('audit.audit_log'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE audit.audit_log IS 'Append-only record of administrative actions.'$ddl$;
  ELSIF pg_catalog.obj_description('audit.audit_log'::regclass, 'pg_class') = 'Append-only record of administrative actions.' THEN
    RAISE NOTICE 'accrete: step 116 skipped: the comment on table audit.audit_log is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 116: table audit.audit_log has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 117 · add table llm.daily_cost_summary (comment)
--   COMMENT ON TABLE llm.daily_cost_summary IS 'Usage and cost per UTC day, user, provider and model.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.daily_cost_summary'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.daily_cost_summary IS 'Usage and cost per UTC day, user, provider and model.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.daily_cost_summary'::regclass, 'pg_class') = 'Usage and cost per UTC day, user, provider and model.' THEN
    RAISE NOTICE 'accrete: step 117 skipped: the comment on table llm.daily_cost_summary is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 117: table llm.daily_cost_summary has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 118 · add table llm.installed_models (comment)
--   COMMENT ON TABLE llm.installed_models IS 'Model files installed on a local server.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.installed_models'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.installed_models IS 'Model files installed on a local server.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.installed_models'::regclass, 'pg_class') = 'Model files installed on a local server.' THEN
    RAISE NOTICE 'accrete: step 118 skipped: the comment on table llm.installed_models is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 118: table llm.installed_models has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 119 · add table llm.invoices (comment)
--   COMMENT ON TABLE llm.invoices IS 'Invoices per organization and billing period.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.invoices'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.invoices IS 'Invoices per organization and billing period.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.invoices'::regclass, 'pg_class') = 'Invoices per organization and billing period.' THEN
    RAISE NOTICE 'accrete: step 119 skipped: the comment on table llm.invoices is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 119: table llm.invoices has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 120 · add table llm.model_deployments (comment)
--   COMMENT ON TABLE llm.model_deployments IS 'Instances of installed models, running or not.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.model_deployments'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.model_deployments IS 'Instances of installed models, running or not.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.model_deployments'::regclass, 'pg_class') = 'Instances of installed models, running or not.' THEN
    RAISE NOTICE 'accrete: step 120 skipped: the comment on table llm.model_deployments is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 120: table llm.model_deployments has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 121 · add table llm.model_permissions (comment)
--   COMMENT ON TABLE llm.model_permissions IS 'Explicit allow or deny of a model for a user, role or organization.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.model_permissions'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.model_permissions IS 'Explicit allow or deny of a model for a user, role or organization.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.model_permissions'::regclass, 'pg_class') = 'Explicit allow or deny of a model for a user, role or organization.' THEN
    RAISE NOTICE 'accrete: step 121 skipped: the comment on table llm.model_permissions is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 121: table llm.model_permissions has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 122 · add table llm.model_pricing (comment)
--   COMMENT ON TABLE llm.model_pricing IS 'Model prices over time, in US dollars per million tokens.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.model_pricing'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.model_pricing IS 'Model prices over time, in US dollars per million tokens.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.model_pricing'::regclass, 'pg_class') = 'Model prices over time, in US dollars per million tokens.' THEN
    RAISE NOTICE 'accrete: step 122 skipped: the comment on table llm.model_pricing is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 122: table llm.model_pricing has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 123 · add table llm.model_servers (comment)
--   COMMENT ON TABLE llm.model_servers IS 'Local inference servers that host installed models.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.model_servers'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.model_servers IS 'Local inference servers that host installed models.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.model_servers'::regclass, 'pg_class') = 'Local inference servers that host installed models.' THEN
    RAISE NOTICE 'accrete: step 123 skipped: the comment on table llm.model_servers is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 123: table llm.model_servers has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 124 · add table llm.models (comment)
--   COMMENT ON TABLE llm.models IS 'Models offered by a provider.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.models'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.models IS 'Models offered by a provider.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.models'::regclass, 'pg_class') = 'Models offered by a provider.' THEN
    RAISE NOTICE 'accrete: step 124 skipped: the comment on table llm.models is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 124: table llm.models has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 125 · add table llm.providers (comment)
--   COMMENT ON TABLE llm.providers IS 'Cloud LLM providers that requests can be routed to.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.providers'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.providers IS 'Cloud LLM providers that requests can be routed to.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.providers'::regclass, 'pg_class') = 'Cloud LLM providers that requests can be routed to.' THEN
    RAISE NOTICE 'accrete: step 125 skipped: the comment on table llm.providers is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 125: table llm.providers has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 126 · add table llm.routing_rules (comment)
--   COMMENT ON TABLE llm.routing_rules IS 'Which model serves a request of a power level, per tier (NULL tier: all tiers).';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.routing_rules'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.routing_rules IS 'Which model serves a request of a power level, per tier (NULL tier: all tiers).'$ddl$;
  ELSIF pg_catalog.obj_description('llm.routing_rules'::regclass, 'pg_class') = 'Which model serves a request of a power level, per tier (NULL tier: all tiers).' THEN
    RAISE NOTICE 'accrete: step 126 skipped: the comment on table llm.routing_rules is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 126: table llm.routing_rules has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 127 · add table llm.tier_model_rules (comment)
--   COMMENT ON TABLE llm.tier_model_rules IS 'Tier access rules: the matching rule with the highest priority decides.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.tier_model_rules'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.tier_model_rules IS 'Tier access rules: the matching rule with the highest priority decides.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.tier_model_rules'::regclass, 'pg_class') = 'Tier access rules: the matching rule with the highest priority decides.' THEN
    RAISE NOTICE 'accrete: step 127 skipped: the comment on table llm.tier_model_rules is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 127: table llm.tier_model_rules has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 128 · add table llm.usage_logs (comment)
--   COMMENT ON TABLE llm.usage_logs IS 'One row per request served, cloud or local.';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.usage_logs'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.usage_logs IS 'One row per request served, cloud or local.'$ddl$;
  ELSIF pg_catalog.obj_description('llm.usage_logs'::regclass, 'pg_class') = 'One row per request served, cloud or local.' THEN
    RAISE NOTICE 'accrete: step 128 skipped: the comment on table llm.usage_logs is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 128: table llm.usage_logs has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 129 · add table llm.user_api_keys (comment)
--   COMMENT ON TABLE llm.user_api_keys IS 'User-supplied provider keys (bring your own key).';
DO $accrete$
BEGIN
  IF pg_catalog.obj_description('llm.user_api_keys'::regclass, 'pg_class') IS NULL THEN
    EXECUTE $ddl$COMMENT ON TABLE llm.user_api_keys IS 'User-supplied provider keys (bring your own key).'$ddl$;
  ELSIF pg_catalog.obj_description('llm.user_api_keys'::regclass, 'pg_class') = 'User-supplied provider keys (bring your own key).' THEN
    RAISE NOTICE 'accrete: step 129 skipped: the comment on table llm.user_api_keys is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 129: table llm.user_api_keys has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 130 · add column audit.audit_log.action (comment)
--   COMMENT ON COLUMN audit.audit_log.action IS 'Dotted lower-case action name, e.g. provider.key_rotated.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('audit.audit_log'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attname = 'action' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN audit.audit_log.action IS 'Dotted lower-case action name, e.g. provider.key_rotated.'$ddl$;
  ELSIF pg_catalog.col_description('audit.audit_log'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attname = 'action' AND NOT a.attisdropped)) = 'Dotted lower-case action name, e.g. provider.key_rotated.' THEN
    RAISE NOTICE 'accrete: step 130 skipped: the comment on column audit.audit_log.action is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 130: column audit.audit_log.action has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 131 · add column audit.audit_log.new_values (comment)
--   COMMENT ON COLUMN audit.audit_log.new_values IS 'The affected row after the action, for inserts and updates.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('audit.audit_log'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attname = 'new_values' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN audit.audit_log.new_values IS 'The affected row after the action, for inserts and updates.'$ddl$;
  ELSIF pg_catalog.col_description('audit.audit_log'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attname = 'new_values' AND NOT a.attisdropped)) = 'The affected row after the action, for inserts and updates.' THEN
    RAISE NOTICE 'accrete: step 131 skipped: the comment on column audit.audit_log.new_values is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 131: column audit.audit_log.new_values has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 132 · add column audit.audit_log.old_values (comment)
--   COMMENT ON COLUMN audit.audit_log.old_values IS 'The affected row before the action, for updates and deletes.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('audit.audit_log'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attname = 'old_values' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN audit.audit_log.old_values IS 'The affected row before the action, for updates and deletes.'$ddl$;
  ELSIF pg_catalog.col_description('audit.audit_log'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'audit.audit_log'::regclass AND a.attname = 'old_values' AND NOT a.attisdropped)) = 'The affected row before the action, for updates and deletes.' THEN
    RAISE NOTICE 'accrete: step 132 skipped: the comment on column audit.audit_log.old_values is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 132: column audit.audit_log.old_values has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 133 · add column llm.installed_models.model_id (comment)
--   COMMENT ON COLUMN llm.installed_models.model_id IS 'The catalogued model this file provides, when known.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.installed_models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.installed_models'::regclass AND a.attname = 'model_id' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.installed_models.model_id IS 'The catalogued model this file provides, when known.'$ddl$;
  ELSIF pg_catalog.col_description('llm.installed_models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.installed_models'::regclass AND a.attname = 'model_id' AND NOT a.attisdropped)) = 'The catalogued model this file provides, when known.' THEN
    RAISE NOTICE 'accrete: step 133 skipped: the comment on column llm.installed_models.model_id is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 133: column llm.installed_models.model_id has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 134 · add column llm.installed_models.quantization (comment)
--   COMMENT ON COLUMN llm.installed_models.quantization IS 'Quantization of the weights, e.g. q4_K_M or fp16.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.installed_models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.installed_models'::regclass AND a.attname = 'quantization' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.installed_models.quantization IS 'Quantization of the weights, e.g. q4_K_M or fp16.'$ddl$;
  ELSIF pg_catalog.col_description('llm.installed_models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.installed_models'::regclass AND a.attname = 'quantization' AND NOT a.attisdropped)) = 'Quantization of the weights, e.g. q4_K_M or fp16.' THEN
    RAISE NOTICE 'accrete: step 134 skipped: the comment on column llm.installed_models.quantization is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 134: column llm.installed_models.quantization has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 135 · add column llm.invoices.line_items (comment)
--   COMMENT ON COLUMN llm.invoices.line_items IS 'JSON array of {model, requests, tokens, usd} lines.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.invoices'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.invoices'::regclass AND a.attname = 'line_items' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.invoices.line_items IS 'JSON array of {model, requests, tokens, usd} lines.'$ddl$;
  ELSIF pg_catalog.col_description('llm.invoices'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.invoices'::regclass AND a.attname = 'line_items' AND NOT a.attisdropped)) = 'JSON array of {model, requests, tokens, usd} lines.' THEN
    RAISE NOTICE 'accrete: step 135 skipped: the comment on column llm.invoices.line_items is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 135: column llm.invoices.line_items has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 136 · add column llm.invoices.number (comment)
--   COMMENT ON COLUMN llm.invoices.number IS 'Human-facing invoice number, from llm.invoice_number_seq.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.invoices'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.invoices'::regclass AND a.attname = 'number' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.invoices.number IS 'Human-facing invoice number, from llm.invoice_number_seq.'$ddl$;
  ELSIF pg_catalog.col_description('llm.invoices'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.invoices'::regclass AND a.attname = 'number' AND NOT a.attisdropped)) = 'Human-facing invoice number, from llm.invoice_number_seq.' THEN
    RAISE NOTICE 'accrete: step 136 skipped: the comment on column llm.invoices.number is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 136: column llm.invoices.number has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 137 · add column llm.model_deployments.endpoint_url (comment)
--   COMMENT ON COLUMN llm.model_deployments.endpoint_url IS 'OpenAI-compatible endpoint of the running instance.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_deployments'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_deployments'::regclass AND a.attname = 'endpoint_url' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_deployments.endpoint_url IS 'OpenAI-compatible endpoint of the running instance.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_deployments'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_deployments'::regclass AND a.attname = 'endpoint_url' AND NOT a.attisdropped)) = 'OpenAI-compatible endpoint of the running instance.' THEN
    RAISE NOTICE 'accrete: step 137 skipped: the comment on column llm.model_deployments.endpoint_url is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 137: column llm.model_deployments.endpoint_url has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 138 · add column llm.model_deployments.last_error (comment)
--   COMMENT ON COLUMN llm.model_deployments.last_error IS 'Error of the last failed start, for the admin UI.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_deployments'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_deployments'::regclass AND a.attname = 'last_error' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_deployments.last_error IS 'Error of the last failed start, for the admin UI.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_deployments'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_deployments'::regclass AND a.attname = 'last_error' AND NOT a.attisdropped)) = 'Error of the last failed start, for the admin UI.' THEN
    RAISE NOTICE 'accrete: step 138 skipped: the comment on column llm.model_deployments.last_error is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 138: column llm.model_deployments.last_error has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 139 · add column llm.model_permissions.expires_at (comment)
--   COMMENT ON COLUMN llm.model_permissions.expires_at IS 'The grant stops applying at this time; NULL for no end.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_permissions'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_permissions'::regclass AND a.attname = 'expires_at' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_permissions.expires_at IS 'The grant stops applying at this time; NULL for no end.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_permissions'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_permissions'::regclass AND a.attname = 'expires_at' AND NOT a.attisdropped)) = 'The grant stops applying at this time; NULL for no end.' THEN
    RAISE NOTICE 'accrete: step 139 skipped: the comment on column llm.model_permissions.expires_at is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 139: column llm.model_permissions.expires_at has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 140 · add column llm.model_permissions.subject_id (comment)
--   COMMENT ON COLUMN llm.model_permissions.subject_id IS 'User id, role name or organization id, depending on subject_kind.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_permissions'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_permissions'::regclass AND a.attname = 'subject_id' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_permissions.subject_id IS 'User id, role name or organization id, depending on subject_kind.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_permissions'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_permissions'::regclass AND a.attname = 'subject_id' AND NOT a.attisdropped)) = 'User id, role name or organization id, depending on subject_kind.' THEN
    RAISE NOTICE 'accrete: step 140 skipped: the comment on column llm.model_permissions.subject_id is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 140: column llm.model_permissions.subject_id has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 141 · add column llm.model_pricing.effective_to (comment)
--   COMMENT ON COLUMN llm.model_pricing.effective_to IS 'First day the price no longer applies; NULL for the current price.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_pricing'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_pricing'::regclass AND a.attname = 'effective_to' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_pricing.effective_to IS 'First day the price no longer applies; NULL for the current price.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_pricing'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_pricing'::regclass AND a.attname = 'effective_to' AND NOT a.attisdropped)) = 'First day the price no longer applies; NULL for the current price.' THEN
    RAISE NOTICE 'accrete: step 141 skipped: the comment on column llm.model_pricing.effective_to is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 141: column llm.model_pricing.effective_to has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 142 · add column llm.model_servers.auto_start (comment)
--   COMMENT ON COLUMN llm.model_servers.auto_start IS 'Start the server''s deployments when the host boots.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_servers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_servers'::regclass AND a.attname = 'auto_start' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_servers.auto_start IS 'Start the server''s deployments when the host boots.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_servers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_servers'::regclass AND a.attname = 'auto_start' AND NOT a.attisdropped)) = 'Start the server''s deployments when the host boots.' THEN
    RAISE NOTICE 'accrete: step 142 skipped: the comment on column llm.model_servers.auto_start is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 142: column llm.model_servers.auto_start has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 143 · add column llm.model_servers.gpu_ids (comment)
--   COMMENT ON COLUMN llm.model_servers.gpu_ids IS 'Indexes of the GPUs the server may use; empty for CPU only.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.model_servers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_servers'::regclass AND a.attname = 'gpu_ids' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.model_servers.gpu_ids IS 'Indexes of the GPUs the server may use; empty for CPU only.'$ddl$;
  ELSIF pg_catalog.col_description('llm.model_servers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.model_servers'::regclass AND a.attname = 'gpu_ids' AND NOT a.attisdropped)) = 'Indexes of the GPUs the server may use; empty for CPU only.' THEN
    RAISE NOTICE 'accrete: step 143 skipped: the comment on column llm.model_servers.gpu_ids is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 143: column llm.model_servers.gpu_ids has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 144 · add column llm.models.capabilities (comment)
--   COMMENT ON COLUMN llm.models.capabilities IS 'JSON array of capability names, e.g. ["vision", "json_mode"].';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.models'::regclass AND a.attname = 'capabilities' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.models.capabilities IS 'JSON array of capability names, e.g. ["vision", "json_mode"].'$ddl$;
  ELSIF pg_catalog.col_description('llm.models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.models'::regclass AND a.attname = 'capabilities' AND NOT a.attisdropped)) = 'JSON array of capability names, e.g. ["vision", "json_mode"].' THEN
    RAISE NOTICE 'accrete: step 144 skipped: the comment on column llm.models.capabilities is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 144: column llm.models.capabilities has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 145 · add column llm.models.model_identifier (comment)
--   COMMENT ON COLUMN llm.models.model_identifier IS 'Identifier as clients send it, e.g. openai/gpt-4o.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.models'::regclass AND a.attname = 'model_identifier' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.models.model_identifier IS 'Identifier as clients send it, e.g. openai/gpt-4o.'$ddl$;
  ELSIF pg_catalog.col_description('llm.models'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.models'::regclass AND a.attname = 'model_identifier' AND NOT a.attisdropped)) = 'Identifier as clients send it, e.g. openai/gpt-4o.' THEN
    RAISE NOTICE 'accrete: step 145 skipped: the comment on column llm.models.model_identifier is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 145: column llm.models.model_identifier has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 146 · add column llm.providers.api_key_encrypted (comment)
--   COMMENT ON COLUMN llm.providers.api_key_encrypted IS 'System API key, encrypted by the application; never stored in clear.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'api_key_encrypted' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.providers.api_key_encrypted IS 'System API key, encrypted by the application; never stored in clear.'$ddl$;
  ELSIF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'api_key_encrypted' AND NOT a.attisdropped)) = 'System API key, encrypted by the application; never stored in clear.' THEN
    RAISE NOTICE 'accrete: step 146 skipped: the comment on column llm.providers.api_key_encrypted is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 146: column llm.providers.api_key_encrypted has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 147 · add column llm.providers.api_key_source (comment)
--   COMMENT ON COLUMN llm.providers.api_key_source IS 'Where the key comes from: system (this row), byok (per user) or environment.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'api_key_source' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.providers.api_key_source IS 'Where the key comes from: system (this row), byok (per user) or environment.'$ddl$;
  ELSIF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'api_key_source' AND NOT a.attisdropped)) = 'Where the key comes from: system (this row), byok (per user) or environment.' THEN
    RAISE NOTICE 'accrete: step 147 skipped: the comment on column llm.providers.api_key_source is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 147: column llm.providers.api_key_source has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 148 · add column llm.providers.default_model_id (comment)
--   COMMENT ON COLUMN llm.providers.default_model_id IS 'Model used when a request names only the provider.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'default_model_id' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.providers.default_model_id IS 'Model used when a request names only the provider.'$ddl$;
  ELSIF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'default_model_id' AND NOT a.attisdropped)) = 'Model used when a request names only the provider.' THEN
    RAISE NOTICE 'accrete: step 148 skipped: the comment on column llm.providers.default_model_id is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 148: column llm.providers.default_model_id has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 149 · add column llm.providers.priority (comment)
--   COMMENT ON COLUMN llm.providers.priority IS 'Routing order among enabled providers: higher first.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'priority' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.providers.priority IS 'Routing order among enabled providers: higher first.'$ddl$;
  ELSIF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'priority' AND NOT a.attisdropped)) = 'Routing order among enabled providers: higher first.' THEN
    RAISE NOTICE 'accrete: step 149 skipped: the comment on column llm.providers.priority is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 149: column llm.providers.priority has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 150 · add column llm.providers.slug (comment)
--   COMMENT ON COLUMN llm.providers.slug IS 'Stable identifier used in model identifiers, e.g. openai in openai/gpt-4o.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'slug' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.providers.slug IS 'Stable identifier used in model identifiers, e.g. openai in openai/gpt-4o.'$ddl$;
  ELSIF pg_catalog.col_description('llm.providers'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.providers'::regclass AND a.attname = 'slug' AND NOT a.attisdropped)) = 'Stable identifier used in model identifiers, e.g. openai in openai/gpt-4o.' THEN
    RAISE NOTICE 'accrete: step 150 skipped: the comment on column llm.providers.slug is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 150: column llm.providers.slug has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 151 · add column llm.routing_rules.weight (comment)
--   COMMENT ON COLUMN llm.routing_rules.weight IS 'Share of traffic among rules that match the same request.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.routing_rules'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.routing_rules'::regclass AND a.attname = 'weight' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.routing_rules.weight IS 'Share of traffic among rules that match the same request.'$ddl$;
  ELSIF pg_catalog.col_description('llm.routing_rules'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.routing_rules'::regclass AND a.attname = 'weight' AND NOT a.attisdropped)) = 'Share of traffic among rules that match the same request.' THEN
    RAISE NOTICE 'accrete: step 151 skipped: the comment on column llm.routing_rules.weight is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 151: column llm.routing_rules.weight has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 152 · add column llm.tier_model_rules.markup_multiplier (comment)
--   COMMENT ON COLUMN llm.tier_model_rules.markup_multiplier IS 'Factor applied to the model price for this tier.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.tier_model_rules'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.tier_model_rules'::regclass AND a.attname = 'markup_multiplier' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.tier_model_rules.markup_multiplier IS 'Factor applied to the model price for this tier.'$ddl$;
  ELSIF pg_catalog.col_description('llm.tier_model_rules'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.tier_model_rules'::regclass AND a.attname = 'markup_multiplier' AND NOT a.attisdropped)) = 'Factor applied to the model price for this tier.' THEN
    RAISE NOTICE 'accrete: step 152 skipped: the comment on column llm.tier_model_rules.markup_multiplier is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 152: column llm.tier_model_rules.markup_multiplier has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 153 · add column llm.tier_model_rules.model_pattern (comment)
--   COMMENT ON COLUMN llm.tier_model_rules.model_pattern IS 'LIKE pattern over model identifiers, e.g. openai/% or %/gpt-4o.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.tier_model_rules'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.tier_model_rules'::regclass AND a.attname = 'model_pattern' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.tier_model_rules.model_pattern IS 'LIKE pattern over model identifiers, e.g. openai/% or %/gpt-4o.'$ddl$;
  ELSIF pg_catalog.col_description('llm.tier_model_rules'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.tier_model_rules'::regclass AND a.attname = 'model_pattern' AND NOT a.attisdropped)) = 'LIKE pattern over model identifiers, e.g. openai/% or %/gpt-4o.' THEN
    RAISE NOTICE 'accrete: step 153 skipped: the comment on column llm.tier_model_rules.model_pattern is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 153: column llm.tier_model_rules.model_pattern has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 154 · add column llm.usage_logs.cost_usd (comment)
--   COMMENT ON COLUMN llm.usage_logs.cost_usd IS 'Cost in US dollars, after the tier markup.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.usage_logs'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attname = 'cost_usd' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.usage_logs.cost_usd IS 'Cost in US dollars, after the tier markup.'$ddl$;
  ELSIF pg_catalog.col_description('llm.usage_logs'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attname = 'cost_usd' AND NOT a.attisdropped)) = 'Cost in US dollars, after the tier markup.' THEN
    RAISE NOTICE 'accrete: step 154 skipped: the comment on column llm.usage_logs.cost_usd is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 154: column llm.usage_logs.cost_usd has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 155 · add column llm.usage_logs.provider (comment)
--   COMMENT ON COLUMN llm.usage_logs.provider IS 'Provider slug at request time, kept when the provider row is deleted.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.usage_logs'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attname = 'provider' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.usage_logs.provider IS 'Provider slug at request time, kept when the provider row is deleted.'$ddl$;
  ELSIF pg_catalog.col_description('llm.usage_logs'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attname = 'provider' AND NOT a.attisdropped)) = 'Provider slug at request time, kept when the provider row is deleted.' THEN
    RAISE NOTICE 'accrete: step 155 skipped: the comment on column llm.usage_logs.provider is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 155: column llm.usage_logs.provider has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 156 · add column llm.usage_logs.source (comment)
--   COMMENT ON COLUMN llm.usage_logs.source IS 'Where the request came from, e.g. api, openwebui, brigade.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.usage_logs'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attname = 'source' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.usage_logs.source IS 'Where the request came from, e.g. api, openwebui, brigade.'$ddl$;
  ELSIF pg_catalog.col_description('llm.usage_logs'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.usage_logs'::regclass AND a.attname = 'source' AND NOT a.attisdropped)) = 'Where the request came from, e.g. api, openwebui, brigade.' THEN
    RAISE NOTICE 'accrete: step 156 skipped: the comment on column llm.usage_logs.source is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 156: column llm.usage_logs.source has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

-- step 157 · add column llm.user_api_keys.key_hint (comment)
--   COMMENT ON COLUMN llm.user_api_keys.key_hint IS 'Last characters of the key, to tell keys apart in the UI.';
DO $accrete$
BEGIN
  IF pg_catalog.col_description('llm.user_api_keys'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.user_api_keys'::regclass AND a.attname = 'key_hint' AND NOT a.attisdropped)) IS NULL THEN
    EXECUTE $ddl$COMMENT ON COLUMN llm.user_api_keys.key_hint IS 'Last characters of the key, to tell keys apart in the UI.'$ddl$;
  ELSIF pg_catalog.col_description('llm.user_api_keys'::regclass, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'llm.user_api_keys'::regclass AND a.attname = 'key_hint' AND NOT a.attisdropped)) = 'Last characters of the key, to tell keys apart in the UI.' THEN
    RAISE NOTICE 'accrete: step 157 skipped: the comment on column llm.user_api_keys.key_hint is as planned';
  ELSE
    RAISE EXCEPTION 'accrete: step 157: column llm.user_api_keys.key_hint has another comment; changing it is an alter, not planned';
  END IF;
END
$accrete$;

COMMIT;

-- accrete:manifest
-- accrete:object schema "audit" before=absent after=4bed1c8e729ee5ee8098ab5be79b499f65bdb4fbef8239fd755cdcf8c776b0c3
-- accrete:object schema "llm" before=absent after=f6e8a3781e9df0eb4b8ef9c550e5d53613ab675f58590bc3dd8bc2b9640700aa
-- accrete:object enum "llm.deployment_status" before=absent after=8eae5ef9320632616a1c044b60ca002d5477991305e1cc6217f0fe5e9b4019ab
-- accrete:object enum "llm.permission_subject" before=absent after=c3f4eb71bc20aa1650e5476ecc86d161630995465b71faa85e6d8a2ff40b056e
-- accrete:object enum "llm.provider_kind" before=absent after=e7c26133f7b392f3d1b3e93da103f71ed9c87a651599d2a026c4f5d84c57573d
-- accrete:object enum "llm.server_kind" before=absent after=d5d6b35c0d565bbc381578a4eed947a35fd3834ca562cde4b9619e8b95e1a854
-- accrete:object enum "llm.tier" before=absent after=d926295ca11db6c0e3204a7eca2ed3c7cceaf50194f12d57101fb8d88ee54b9e
-- accrete:object sequence "llm.invoice_number_seq" before=absent after=73d7ef5f7b27210764a2729432168e0b8b7c772dc52a2f8ca54b7680c7400a9b
-- accrete:object table "audit.audit_log" before=absent after=8ac74c2d24642f61eefb4c83b82c98d2c8e18b9a1f93898f62dbcbd1d01d5454
-- accrete:object table "llm.daily_cost_summary" before=absent after=d885e0cf64f5c548d3e0f4a46c8b5eec822b8788850c211e57bab658a9994f34
-- accrete:object table "llm.installed_models" before=absent after=f85c9cac37874cce8026318b1bfd97f92b96a0ab45b05d01a5c956b8300d6c8d
-- accrete:object table "llm.invoices" before=absent after=05b3a6e0b2f6bc997a84386d96fc318d31e364f75f9b1db668724986598401f6
-- accrete:object table "llm.model_deployments" before=absent after=c67b8040da7816c9e72bf34bdf6b5b4de815890895ec0e4c0319e2b81ff8f85f
-- accrete:object table "llm.model_permissions" before=absent after=bddb252e347cffced9f4e539b79d3e5b519b1a061db3f442c1752e09ed6765fe
-- accrete:object table "llm.model_pricing" before=absent after=10c4b8b03cbf35404b4877cc91836e2908cb895f2131201f8c9ed1e95a9c8164
-- accrete:object table "llm.model_servers" before=absent after=634070afa003061ca7ee68f5cf7dfef3ad38a70ee5ff8a8345a3ccad3b80df87
-- accrete:object table "llm.models" before=absent after=c1a6912687104827b23d7da281d8a6e7373562c44aaee876997dd6521479c4bb
-- accrete:object table "llm.providers" before=absent after=1ed36a27c148570145e06e5eb6ea3c64b943c9b52e7ed40bf8c442e4c654e3e6
-- accrete:object table "llm.routing_rules" before=absent after=500a080997f8932765a246cd6fb3ec045a77605a5e9a8d7ac72f024b0c0cd236
-- accrete:object table "llm.tier_model_rules" before=absent after=91e91b006527b7d4a1002eb5f453cda5400101527ca31e3ad81997c36f8c8039
-- accrete:object table "llm.usage_logs" before=absent after=36753e93a2454fa8a1f5f1d55d8262cf7a4c92a755daef8389520ed1b44b58b2
-- accrete:object table "llm.user_api_keys" before=absent after=52669afa60e0059949129ff3f7e033b4aa992314f461ff3c54cd36cabbcac5a6
-- accrete:object column "audit.audit_log.action" before=absent after=96da3ca5658e70610c3b25aec489d8414598dc0a7b6e373b3eb742237fdad4c1
-- accrete:object column "audit.audit_log.actor_id" before=absent after=fb0d21f7981d1d954ec895ed6ef12d265a2fc5aa0673c9a9036a8a0b0d66e621
-- accrete:object column "audit.audit_log.actor_ip" before=absent after=3dae32b738a14483e55e4b8c5dde63e05001ded33fcb3ae081024bd50dd92852
-- accrete:object column "audit.audit_log.details" before=absent after=14c95d5ce3bf1834049ab70b1518da2a739bc0d868c8e18b1ee4659ce1c5f32b
-- accrete:object column "audit.audit_log.id" before=absent after=21cddbc54da1052bd962f47aa78a3d7e635e31715c81b567d6f2ae08b790c3f7
-- accrete:object column "audit.audit_log.new_values" before=absent after=7549819f6ac9e57fe42ee116677c3389b552130bd0f147e8ecabaf472e960492
-- accrete:object column "audit.audit_log.occurred_at" before=absent after=13fbb1f77c6b9fc5e0b1dc8bc87d6e153f2e8becea1a8392495dcaf9c83254c0
-- accrete:object column "audit.audit_log.old_values" before=absent after=3b9a87b94f5f33bbe898de47d65ed8ff79d9967247f5c72dd328c4db38cbaecc
-- accrete:object column "audit.audit_log.request_id" before=absent after=40f6819600049bb59aecc06e9f795c97437b192bc4ddf8f9b252a045bfcdfd52
-- accrete:object column "audit.audit_log.resource_id" before=absent after=ed1713b63ce0a89716bb3735fcc523c50e4b25febfd71be2cb4e23fc3191c263
-- accrete:object column "audit.audit_log.resource_type" before=absent after=0a3cb23ee6fdb54fd40122747864736864eeca697bf392f0df19add8e1fc48ce
-- accrete:object column "llm.daily_cost_summary.cost_usd" before=absent after=7d23d6f07d19556c7aa2fa0966331e6b1e20cb3a7fedf9eb73129bbe2d1cd739
-- accrete:object column "llm.daily_cost_summary.day" before=absent after=346a5a6858e2d22a98820a1ad3b8f5bd1002ba2efc1dd32eb7c7017051bf96bf
-- accrete:object column "llm.daily_cost_summary.input_tokens" before=absent after=7fde05500837a400532eaa098993b5ddc87ef4d021694ad9999c5471f74f7dc2
-- accrete:object column "llm.daily_cost_summary.model_name" before=absent after=fb09252e26b9f61613bb7f7cde7e2b759fb51df1e3d720cb333740fa01d81b96
-- accrete:object column "llm.daily_cost_summary.output_tokens" before=absent after=412863f6241e8a49c1aa8b4beeefb6774c533adbfdf47674802861527a3e49b8
-- accrete:object column "llm.daily_cost_summary.provider_id" before=absent after=fe1170b39ec3a8d614c3dfd3c8fdb845a02fdc0a79b9ec74c559b1b373d1dc60
-- accrete:object column "llm.daily_cost_summary.request_count" before=absent after=344f2766013b17a6f7396d998a7771d7faca0d14ee6a2cb5bb08a7e07799f72c
-- accrete:object column "llm.daily_cost_summary.updated_at" before=absent after=f1e5f5aae0ab63875da7891d48600c7c0ba47c17f53dc7f8b1cd0f4906541bfe
-- accrete:object column "llm.daily_cost_summary.user_id" before=absent after=1992f172c348f7da8202a23bdaf31c4be4993d53a14ae4e5b72013294d8ded61
-- accrete:object column "llm.installed_models.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.installed_models.installed_at" before=absent after=0eac06a84f1141cf356fc86f1dfdaa12d08be86b5f4b6adc85afcb09934f3bc9
-- accrete:object column "llm.installed_models.last_used_at" before=absent after=676d8acc6257e4ca57c5edf59f042847e765610e52b6d3bda703ea66a2293d6b
-- accrete:object column "llm.installed_models.model_id" before=absent after=83f5bb3289b322692761dd352220a2bb2455ba41946725548c7c8dc7ae72a41b
-- accrete:object column "llm.installed_models.model_name" before=absent after=fb09252e26b9f61613bb7f7cde7e2b759fb51df1e3d720cb333740fa01d81b96
-- accrete:object column "llm.installed_models.quantization" before=absent after=c1923a0227bb03b54e90f5ea838caae09ba463e5070f756a2dc3dc6095aaa10d
-- accrete:object column "llm.installed_models.server_id" before=absent after=e116f7156b8310fba99b1849a4ffb07d8a10a931a59c788b407636c91022e45d
-- accrete:object column "llm.installed_models.size_bytes" before=absent after=241bbd743f19201747502d07527c0e62ad81fa6cbb0b6061f99ff3c469a18254
-- accrete:object column "llm.invoices.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.invoices.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.invoices.issued_at" before=absent after=c040c852968a7bfaac7e61bb6f3fd8ac374e5c36d434e9738740b9af15376e4d
-- accrete:object column "llm.invoices.line_items" before=absent after=d53b533879f05e9a11398fe6fa661e22766b3687520d640042d5044415d377ea
-- accrete:object column "llm.invoices.number" before=absent after=dce20fa3217f8e8542dd662a2fd7ab9225ab39076530b50f2edc97d325b713e9
-- accrete:object column "llm.invoices.organization_id" before=absent after=a6c069cc518619a94c28e59c34d527474214dfd124c0a3d155c4361b2e1c3a75
-- accrete:object column "llm.invoices.paid_at" before=absent after=379b36d760bb2d95e6b4caf1b0c59aa91ca8b0191834cf104b8dc917b5d32123
-- accrete:object column "llm.invoices.period_end" before=absent after=5563163e92fb799e17283229b277c921733aec709c33642b74242a27f395ddcb
-- accrete:object column "llm.invoices.period_start" before=absent after=27470d7b2ed2d77df1d4f0b647b59e93d4e064a2a1b4e388761e60793d1f3aeb
-- accrete:object column "llm.invoices.tier" before=absent after=b03da065664c44bb1894a1ace44c188a1d2c31f82a5b784eed6b5a61c0ae29da
-- accrete:object column "llm.invoices.total_usd" before=absent after=fb0cf687a0b49b5ee09554605923e484b402f12b94e3bb7f8ea469ae9c4cdb6a
-- accrete:object column "llm.model_deployments.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.model_deployments.created_by" before=absent after=1b8f0e08f96a540b2e912e9edbc1d5253065af03e471a61ea42cae5cb9c8ba05
-- accrete:object column "llm.model_deployments.endpoint_url" before=absent after=4beda713039aa3ea6532a3eb8f00bfc913300d38115639a9851e59f9c53fee75
-- accrete:object column "llm.model_deployments.gpu_memory_mb" before=absent after=3d4a76a5288f3aed384f2f5a6dd56b061199ead766c7907ba709a37083f0f876
-- accrete:object column "llm.model_deployments.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.model_deployments.installed_model_id" before=absent after=7af7ab3dd22ddc5d3a19d25f3fcf4e608e0138b4e32744125a54e48932cf65eb
-- accrete:object column "llm.model_deployments.last_error" before=absent after=54c96c7bb67b116543d3ad079b55c19549283e37f3bce95459b993d8a0d389aa
-- accrete:object column "llm.model_deployments.max_concurrency" before=absent after=3822bc01d01085d84cb18522d3e987bd7f0f8275c88a0ae615c10465f26b76d4
-- accrete:object column "llm.model_deployments.server_id" before=absent after=e116f7156b8310fba99b1849a4ffb07d8a10a931a59c788b407636c91022e45d
-- accrete:object column "llm.model_deployments.settings" before=absent after=cc44e32cb90362851d650749a990b47ed5cc7372dac70a494fa1b8187db76309
-- accrete:object column "llm.model_deployments.started_at" before=absent after=7e32a8efd6b805dad1ae9b6f7e1aaa5135d4ac191db4e4a5934adbaf3ad950ee
-- accrete:object column "llm.model_deployments.status" before=absent after=f2ea7df4e62f18c12d6f077aacc6ff1785ab09d64a5f10fe1e8ea9f456fa3802
-- accrete:object column "llm.model_deployments.stopped_at" before=absent after=e1e0f1f223e4650bbe42289d739ee50bee02c544c44096930e486cba22a39f00
-- accrete:object column "llm.model_permissions.allowed" before=absent after=c85869b7d7891378e1b6d4721e25d6c8cf326b824fa5eed422919539fdf830bc
-- accrete:object column "llm.model_permissions.expires_at" before=absent after=942b51699af44a4c0b16b6ee8fbc84c18aa8a761b656bba2a48fa8db75f644dc
-- accrete:object column "llm.model_permissions.granted_at" before=absent after=36c2362ab9e1b9f986fe88601f3d77bbaf3673058d7b709c4cb78a50e983bae7
-- accrete:object column "llm.model_permissions.granted_by" before=absent after=f3db3a91e2951dfd9dc5c8ffbc9051669c216bd3abd298e4ee20f73f532e8c7b
-- accrete:object column "llm.model_permissions.id" before=absent after=21cddbc54da1052bd962f47aa78a3d7e635e31715c81b567d6f2ae08b790c3f7
-- accrete:object column "llm.model_permissions.max_requests_per_day" before=absent after=4adf6afba63ad67b44a19e0fb2f3b845a94f9bbd16c14806d4e117881e1471a9
-- accrete:object column "llm.model_permissions.max_tokens_per_day" before=absent after=064df32f7429af0806a881cab80645a0f74ad32806e8f4421482cf51672a727d
-- accrete:object column "llm.model_permissions.model_id" before=absent after=c6c02ad6b85f8cbb824657ed9116f1d150ebf54c782985de4da339ce6cb30ef3
-- accrete:object column "llm.model_permissions.subject_id" before=absent after=87551253d75bc3b50f3eb6ffefd82e09d166054f5d18e99b2e1477fa72c05658
-- accrete:object column "llm.model_permissions.subject_kind" before=absent after=0091cb251cf245cc9c7530190c2143199ee100066ea817ff613ac27d26e0d847
-- accrete:object column "llm.model_pricing.effective_from" before=absent after=25c2936d3b006f67da68f7faef1a95ea5fe2d4361f53d611bdba2d4b6913b9af
-- accrete:object column "llm.model_pricing.effective_to" before=absent after=39c6ae868c7812bdae22b96c2424c0198722e2fe9ae8a9e215fc8e0fbb3c1376
-- accrete:object column "llm.model_pricing.id" before=absent after=b7c179c74ddc4413e72473ede570f18a0966fcef25e4d6dbff04baeeefe4666c
-- accrete:object column "llm.model_pricing.input_usd_per_mtok" before=absent after=8973cce83d148e5e027655ab25fe34042eafa242dde20975a98d77bde052c46d
-- accrete:object column "llm.model_pricing.model_id" before=absent after=c6c02ad6b85f8cbb824657ed9116f1d150ebf54c782985de4da339ce6cb30ef3
-- accrete:object column "llm.model_pricing.output_usd_per_mtok" before=absent after=03fab726ed101d0550646e4e58be014c4a88687f1e6082f670ddc839cc3bddbf
-- accrete:object column "llm.model_servers.auto_start" before=absent after=8caae412fddfd6210867853fc48f076e746b19babc2a9470fb7696a215c2487f
-- accrete:object column "llm.model_servers.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.model_servers.enabled" before=absent after=2a33aa60f4e7d2e5022c8e947530d42eeaf25c5650a782b7c2c7a28b39d72a2a
-- accrete:object column "llm.model_servers.gpu_ids" before=absent after=36a3a6086639615f388d1b29b6715c9c9fb5b676fc6d1c92d54f160046f1a753
-- accrete:object column "llm.model_servers.health_status" before=absent after=b218464385ea89d9285675fee386588785d3c73079f1e12de01fc1410e6901c2
-- accrete:object column "llm.model_servers.host" before=absent after=c171f23ee1cfab6ed69ff47e4e47fa757806a98138ec74ededb5c242dcf738d6
-- accrete:object column "llm.model_servers.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.model_servers.kind" before=absent after=b9c6c370c69fefc8cfcece380f813a423920ac8d52585eb55a0df05d232a0c1c
-- accrete:object column "llm.model_servers.last_seen_at" before=absent after=b985e9cb46a6f1dfff91b629885f6bd5a8bdc6a978e787cc753f8cfbf4859508
-- accrete:object column "llm.model_servers.location" before=absent after=8f5ac5f81ce48b3fb3b5d28d69d59b8bf7a3abada9a2939bdd69e8caafa6e3b5
-- accrete:object column "llm.model_servers.metadata" before=absent after=15215442614d794d73823dbb85f72d7d8dd980e15d3d57210c8e7db881a46814
-- accrete:object column "llm.model_servers.name" before=absent after=af689c2b1edf94b0a2bcb4df430a562bc3f51d36f0329fafb5bac8c0d941a5c2
-- accrete:object column "llm.model_servers.port" before=absent after=5e6bf96c0bfcaf1330ff6b9c57c8111546d9d24db8d5d3c42077e36e1f17a4cc
-- accrete:object column "llm.model_servers.updated_at" before=absent after=f1e5f5aae0ab63875da7891d48600c7c0ba47c17f53dc7f8b1cd0f4906541bfe
-- accrete:object column "llm.models.capabilities" before=absent after=18718b952ec3d6fcb4328a8c900661ff1b3ed08fc046648e84e65197bea86289
-- accrete:object column "llm.models.context_window" before=absent after=e016dfe2535059b4b1488398f4262c014abee15a87d2584201399cf4a5922b66
-- accrete:object column "llm.models.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.models.display_name" before=absent after=c030a097842c1374614d3fba3f3a7c13616cebcd47e97686df6e71c9149da59e
-- accrete:object column "llm.models.enabled" before=absent after=2a33aa60f4e7d2e5022c8e947530d42eeaf25c5650a782b7c2c7a28b39d72a2a
-- accrete:object column "llm.models.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.models.max_output_tokens" before=absent after=521c71467b9e29a153096cc19e085d304dc2838fa3e8678878b469a040e858c6
-- accrete:object column "llm.models.model_identifier" before=absent after=36951061ae03fbce90826be651428f1668b3cc1b444245bb027701469be0720f
-- accrete:object column "llm.models.provider_id" before=absent after=fe1170b39ec3a8d614c3dfd3c8fdb845a02fdc0a79b9ec74c559b1b373d1dc60
-- accrete:object column "llm.models.retired_at" before=absent after=a3cdb988ee622e36523fb13bf17e18fd2591e79215388a4817e0f837947bf7b4
-- accrete:object column "llm.models.supports_streaming" before=absent after=6038db86bdc767de35b4fb0276966317a4196fc39912ec6f8d47026c34db118d
-- accrete:object column "llm.models.supports_tools" before=absent after=92732a179a16b44d49b3e737acdfa94fe4bdebb71dd872bf9143564ca9bb0090
-- accrete:object column "llm.models.updated_at" before=absent after=f1e5f5aae0ab63875da7891d48600c7c0ba47c17f53dc7f8b1cd0f4906541bfe
-- accrete:object column "llm.providers.api_key_encrypted" before=absent after=908d21620020ac1b2cc2a76a5110f0bb902f662192090c8505b4f3f289132104
-- accrete:object column "llm.providers.api_key_source" before=absent after=acce98cad57ad916fa1b5beb1bf504bd9158a2015bf1a721dfd9b2883712ad15
-- accrete:object column "llm.providers.api_key_updated_at" before=absent after=95c0e478dce6c27085ade55a5ec2b9600670f2cb82d0ac8c4a0685a78a3c846c
-- accrete:object column "llm.providers.base_url" before=absent after=a927de5abc35706c1795acef7bfb304759b5bce0e2f016f361ff4ca2cb472ce2
-- accrete:object column "llm.providers.config" before=absent after=d7b548d8b0a8d50e89a8e630573abda205e145538e451f7e7804b19d4642d455
-- accrete:object column "llm.providers.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.providers.created_by" before=absent after=1b8f0e08f96a540b2e912e9edbc1d5253065af03e471a61ea42cae5cb9c8ba05
-- accrete:object column "llm.providers.default_model_id" before=absent after=551e62c9716c361ca28fbde5cae6d13f442345d99a60e27d813047caa01c94c0
-- accrete:object column "llm.providers.enabled" before=absent after=2a33aa60f4e7d2e5022c8e947530d42eeaf25c5650a782b7c2c7a28b39d72a2a
-- accrete:object column "llm.providers.health_status" before=absent after=b218464385ea89d9285675fee386588785d3c73079f1e12de01fc1410e6901c2
-- accrete:object column "llm.providers.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.providers.kind" before=absent after=2df0321732310fc86f418d826b4ac170fabeddb1e548352a8e9ebe8e7ea38e7d
-- accrete:object column "llm.providers.last_health_check" before=absent after=f2b90010d4315276e291dffec1c5042cd2847a3446353bdf7ac5bd428a4035bf
-- accrete:object column "llm.providers.metadata" before=absent after=15215442614d794d73823dbb85f72d7d8dd980e15d3d57210c8e7db881a46814
-- accrete:object column "llm.providers.name" before=absent after=af689c2b1edf94b0a2bcb4df430a562bc3f51d36f0329fafb5bac8c0d941a5c2
-- accrete:object column "llm.providers.priority" before=absent after=605aa5c57bd8a7b08b988c9cf33211b216ee4e6c0b92039883733406dbf69b8a
-- accrete:object column "llm.providers.slug" before=absent after=18d7e5cebf8620cc7b62f44f5b9a8ddf7737d839f9555e299ae3139349204fc8
-- accrete:object column "llm.providers.updated_at" before=absent after=f1e5f5aae0ab63875da7891d48600c7c0ba47c17f53dc7f8b1cd0f4906541bfe
-- accrete:object column "llm.routing_rules.conditions" before=absent after=0dd303dfb9190bf83963d8acb1d8fea4324536aa29c9c9e3d08b73419e73045a
-- accrete:object column "llm.routing_rules.enabled" before=absent after=2a33aa60f4e7d2e5022c8e947530d42eeaf25c5650a782b7c2c7a28b39d72a2a
-- accrete:object column "llm.routing_rules.fallback_model_id" before=absent after=8998b1a7f20ebee924c6c2952f674b4898740e9dc85bbbb33c373c73350a5f91
-- accrete:object column "llm.routing_rules.id" before=absent after=11f089c4fc42d65d3c88fe56012000a3f6ca0a43d3f98f90529d759316a3cc11
-- accrete:object column "llm.routing_rules.model_id" before=absent after=c6c02ad6b85f8cbb824657ed9116f1d150ebf54c782985de4da339ce6cb30ef3
-- accrete:object column "llm.routing_rules.name" before=absent after=af689c2b1edf94b0a2bcb4df430a562bc3f51d36f0329fafb5bac8c0d941a5c2
-- accrete:object column "llm.routing_rules.power_level" before=absent after=a90f16e8a48ab78b74cb065ac1e8a73b4d571d6adbb9f7f87c0bd7e0fd6bc399
-- accrete:object column "llm.routing_rules.tier" before=absent after=e531b9a7a4e0d9995c8df8c7f48e024f43d28d3217622fee19dbb42d96aba899
-- accrete:object column "llm.routing_rules.weight" before=absent after=86d90127b4c496a8a074ad7721040d50f831e50ea9060bc2bf247e897328eb7a
-- accrete:object column "llm.tier_model_rules.allowed" before=absent after=c85869b7d7891378e1b6d4721e25d6c8cf326b824fa5eed422919539fdf830bc
-- accrete:object column "llm.tier_model_rules.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.tier_model_rules.id" before=absent after=94bed2b703e6977f05d064fe9179b588ebe0e526319525f3492bd3fee96331c9
-- accrete:object column "llm.tier_model_rules.markup_multiplier" before=absent after=ae61536d4866887aea047a11ebf7c9cbaa891a000cd156dac2185d87b988397e
-- accrete:object column "llm.tier_model_rules.max_requests_per_day" before=absent after=4adf6afba63ad67b44a19e0fb2f3b845a94f9bbd16c14806d4e117881e1471a9
-- accrete:object column "llm.tier_model_rules.model_pattern" before=absent after=a45392b0bdfa344265c3bfd1c07cf228028638e3509afb2a1a494de0509721cd
-- accrete:object column "llm.tier_model_rules.priority" before=absent after=5120b158ca35d4f263a6d1102e925e7e96d45e7cf52302d878dff4c56d72e621
-- accrete:object column "llm.tier_model_rules.tier" before=absent after=b03da065664c44bb1894a1ace44c188a1d2c31f82a5b784eed6b5a61c0ae29da
-- accrete:object column "llm.usage_logs.cost_usd" before=absent after=80054294479fdc2acc5d1321ac4bb96eded3f30cbd74bbf8963d6fa144bedf19
-- accrete:object column "llm.usage_logs.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.usage_logs.deployment_id" before=absent after=715a3aef13e8dec5ecb03a22dc74a382b6730d32a40b958b9c2db155a62c30ba
-- accrete:object column "llm.usage_logs.error" before=absent after=c1ce149dbddd903f21856c022bd3935203f8fffe696afe9627cbeb406ba2fd8f
-- accrete:object column "llm.usage_logs.id" before=absent after=21cddbc54da1052bd962f47aa78a3d7e635e31715c81b567d6f2ae08b790c3f7
-- accrete:object column "llm.usage_logs.input_tokens" before=absent after=38c2119a97fef1e1cc40052d5c74b74921d2295710aab272c7fd5a392684e62b
-- accrete:object column "llm.usage_logs.latency_ms" before=absent after=4148fa769e750e84d4b9ccbf9d64eb7f7aa4dd1169caf399b928288d694127e3
-- accrete:object column "llm.usage_logs.metadata" before=absent after=15215442614d794d73823dbb85f72d7d8dd980e15d3d57210c8e7db881a46814
-- accrete:object column "llm.usage_logs.model_id" before=absent after=3bc7286524be8ede8365c75f6f836d27582e9c19f9282f97ee8325242fb73be7
-- accrete:object column "llm.usage_logs.model_name" before=absent after=fb09252e26b9f61613bb7f7cde7e2b759fb51df1e3d720cb333740fa01d81b96
-- accrete:object column "llm.usage_logs.output_tokens" before=absent after=330d25f4fdc633efdd53824aea7b6122940245e5a179c6affa6d6c0252b17cc2
-- accrete:object column "llm.usage_logs.provider" before=absent after=e7bb4ee909505192e48ee6d3865de17a730b4f43b509fd2197a9eedaa88b0c34
-- accrete:object column "llm.usage_logs.provider_id" before=absent after=5aad79a3c966c46557b03f49a31aeeaf64b4163cb3660f7533044e00d64ef6f4
-- accrete:object column "llm.usage_logs.request_id" before=absent after=c8e9ceb76242cd92e618b8452924e7b397918efcf8ab302592f21c1765e9d5bd
-- accrete:object column "llm.usage_logs.server_id" before=absent after=626944e4e7d3357271421faadd1a14850ebdc3c813f2269557ea262f9a1c6648
-- accrete:object column "llm.usage_logs.source" before=absent after=47afe21a9aadf63d201798a0ad8de43a27e2a69b0b11352183a8b485b2b04278
-- accrete:object column "llm.usage_logs.status_code" before=absent after=5153009302a7d889aa17509682710a6c455fc503c43cd4cadd23f16a93ee9681
-- accrete:object column "llm.usage_logs.user_id" before=absent after=1992f172c348f7da8202a23bdaf31c4be4993d53a14ae4e5b72013294d8ded61
-- accrete:object column "llm.user_api_keys.created_at" before=absent after=36e61212b4d6718296b350c3710b76bfb20917d5634cce57081b1999ed04fcd3
-- accrete:object column "llm.user_api_keys.id" before=absent after=3be768e4b8fd5fbd9cfd468a3eff05dbbbb1ef01c9d3ee4a16b42ddf5a1e8e9e
-- accrete:object column "llm.user_api_keys.key_encrypted" before=absent after=8fa97a3e9cfd660ee5bfea259f702df27628dcca7733d400c8e81d406546f022
-- accrete:object column "llm.user_api_keys.key_hint" before=absent after=c93664ae00b9d50fe4a823faa7b513a4dd1ac9bbea0f01ef5eed73b6e3169871
-- accrete:object column "llm.user_api_keys.label" before=absent after=4183a4cb1b086c3daa720c8415e90336922c9fba012fd7312a7dcb73b83e1e01
-- accrete:object column "llm.user_api_keys.last_used_at" before=absent after=676d8acc6257e4ca57c5edf59f042847e765610e52b6d3bda703ea66a2293d6b
-- accrete:object column "llm.user_api_keys.provider_id" before=absent after=fe1170b39ec3a8d614c3dfd3c8fdb845a02fdc0a79b9ec74c559b1b373d1dc60
-- accrete:object column "llm.user_api_keys.revoked_at" before=absent after=2199078180d06362fb52da4c5db15d829beeef540baa5880e3b521179a8b7d8b
-- accrete:object column "llm.user_api_keys.user_id" before=absent after=1992f172c348f7da8202a23bdaf31c4be4993d53a14ae4e5b72013294d8ded61
-- accrete:object constraint "audit.audit_log.audit_log_action_format" before=absent after=5abc5968c61e257ed04c5d1ffbff20ad20743af35a6d56c7aef5c6e846675a3a
-- accrete:object constraint "audit.audit_log.audit_log_pkey" before=absent after=3e2779d4cd83aec6cf1e00aab0ef9d7beb7c252310df3ed4b38f166bf8184135
-- accrete:object constraint "llm.daily_cost_summary.daily_cost_summary_counts_check" before=absent after=0f6fbdca5716c2469754bd0879c9b041fa144126485d916d6e59c7f76ae329f7
-- accrete:object constraint "llm.daily_cost_summary.daily_cost_summary_pkey" before=absent after=08a05700f2f81d6c78f7e45b391c011ff2eafeb2a9aae37dce2a3f88d0142176
-- accrete:object constraint "llm.daily_cost_summary.daily_cost_summary_provider_id_fkey" before=absent after=2f801207095c24edd70c057f12d6b21b52a8049ae66b1b5906b198fd82196106
-- accrete:object constraint "llm.installed_models.installed_models_model_id_fkey" before=absent after=d5c4d4c8a0efdfe51af12cfa4b5682d87b10cae07a12ce70dc19889a78133d02
-- accrete:object constraint "llm.installed_models.installed_models_pkey" before=absent after=c89159757fd7380bbaa921b317ca9c4e14e7e56f62091c111a7b6738f4d29e31
-- accrete:object constraint "llm.installed_models.installed_models_server_id_fkey" before=absent after=38e2d4b6b52fc0d72ecddf31b1110637f6370ad41b0dd8a3e5d9f094f8048434
-- accrete:object constraint "llm.installed_models.installed_models_server_model_key" before=absent after=1e2fadca828ca9bc62048f13b056d5493009e9f0ecaaa1429891e3147e651571
-- accrete:object constraint "llm.installed_models.installed_models_size_check" before=absent after=251424fbdeaf6395def0e92c3039dc2985fb76ad6ed1a2e3685dd8f827f1fbbd
-- accrete:object constraint "llm.invoices.invoices_number_key" before=absent after=e9a0ade9381d4db94b3fd22d8116ea0a9c19c65a7f0a38fd3735cee3d9b5b200
-- accrete:object constraint "llm.invoices.invoices_organization_period_key" before=absent after=d31acc0f37156d15c37282beade9597d38850fa8f167cf90d5961e8d76241dfe
-- accrete:object constraint "llm.invoices.invoices_period_check" before=absent after=1f9f49325216162bdd63779cc487154bd463b3d0f0c2014350bfb7aec38ec166
-- accrete:object constraint "llm.invoices.invoices_pkey" before=absent after=bf7f6d87a622758c37e028c60fb823931b9737dc49e507061a02921b5c351f45
-- accrete:object constraint "llm.invoices.invoices_total_check" before=absent after=08cf7a05e041f7d167e59b24c1c4f419bba81317554ab37acfb68bd91e3ea31c
-- accrete:object constraint "llm.model_deployments.model_deployments_concurrency_check" before=absent after=99901cd29673720330b4414b152df32d4af562a3735d04b4c88702427dde1f15
-- accrete:object constraint "llm.model_deployments.model_deployments_installed_model_fk" before=absent after=9b4937a5b1e1c158b97f475db2649fe7623d0e090221bfa593e08ef8725bc0d5
-- accrete:object constraint "llm.model_deployments.model_deployments_pkey" before=absent after=3f5cd7687647564ccc09c960c070266b686ebf576c63000b22b73e5bd7a72284
-- accrete:object constraint "llm.model_deployments.model_deployments_server_fk" before=absent after=08b3af8c6d53a36e06f67b48e036eabb72d7aa1837ae4d0204f4ecb89f5db698
-- accrete:object constraint "llm.model_deployments.model_deployments_window_check" before=absent after=ae6b04d76917d33a2608c82c2ec0df923a6480f515cbffbb960b67eb7a9bd412
-- accrete:object constraint "llm.model_permissions.model_permissions_limits_check" before=absent after=1e444a53305d13b5e3fb97173746652713375dd35e72b15ca52f842003a3d600
-- accrete:object constraint "llm.model_permissions.model_permissions_model_id_fkey" before=absent after=1d9f83bda34c62f0c97595dbe8276df315e49029c578b63d5a489f644ee209c4
-- accrete:object constraint "llm.model_permissions.model_permissions_pkey" before=absent after=d89f11a1fc729f28f4ad789805dbe2ac88e8acd9b277b5b0acd155ce2a49cc95
-- accrete:object constraint "llm.model_permissions.model_permissions_subject_key" before=absent after=7e17f965d4a099e5830b9c58610046cc8ea208b6b2756fcbf8179e181ef70dc1
-- accrete:object constraint "llm.model_pricing.model_pricing_model_from_key" before=absent after=19ae67cce361a9847569a5d6b141918a4429238ae8d071142228437275eb31d7
-- accrete:object constraint "llm.model_pricing.model_pricing_model_id_fkey" before=absent after=9f2df31eb7dc18492d195dc86f1a2b687bf2456fc69efdc68f2d839768dc444e
-- accrete:object constraint "llm.model_pricing.model_pricing_period_check" before=absent after=22540eea138c919ba97ddc80dec3f66ec05aa52877f96cec32b05a0d535d52da
-- accrete:object constraint "llm.model_pricing.model_pricing_pkey" before=absent after=ec019ab866e24a0dd0d461ae5e0de0d2f373773800cb8bf77fa0687d13c52c22
-- accrete:object constraint "llm.model_pricing.model_pricing_prices_check" before=absent after=24854090ff6f0fe747330aaf6c5b04531727ea61a2b5820776f431aa30d0bf02
-- accrete:object constraint "llm.model_servers.model_servers_health_status_check" before=absent after=cc67d6f2c5b4c039336665684ca87c48939049de02bcf91c66ca3aa04b6ebd26
-- accrete:object constraint "llm.model_servers.model_servers_host_port_key" before=absent after=ea840d8b2840338930d5c373c6ee0e44a6f19f225be5564006327bea71636c88
-- accrete:object constraint "llm.model_servers.model_servers_name_key" before=absent after=3b8e2eb9449a7b6de79a7bc6e343b3c3daab0e374ff22318f7c9b802e5f8a8af
-- accrete:object constraint "llm.model_servers.model_servers_pkey" before=absent after=83f8bf2a8bae2d34f521313e50e399a0c5f24221a435d51441086e4d729209fb
-- accrete:object constraint "llm.model_servers.model_servers_port_check" before=absent after=99a1227f56b97533b84ba1283900cbd3bd150ead4778e49b0666f81282a8afca
-- accrete:object constraint "llm.models.models_capabilities_is_array" before=absent after=a41cb6fdfe0521856d1e57ed831ec593e5c1486d651d085d8716a4a21b5796cc
-- accrete:object constraint "llm.models.models_context_window_check" before=absent after=f814709b660460f0f8b2a74925eb4f52814ad78f978cdd46da4ca6d5d910eb9b
-- accrete:object constraint "llm.models.models_max_output_tokens_check" before=absent after=06909d2f10701b6897d20be842c2a290047de1ee5336f2850b95058067b067a8
-- accrete:object constraint "llm.models.models_pkey" before=absent after=57b6e7ab7b7084bce12071f6c71bc534a4a340dc2132e2bc20507ce53593ea8d
-- accrete:object constraint "llm.models.models_provider_id_fkey" before=absent after=25b05ab1d9b6963096714e4db1de1c0556c1dd73d82600f0ef26632918ddf595
-- accrete:object constraint "llm.models.models_provider_identifier_key" before=absent after=4c7bb3a1f94a8e34ad3d2c6e73ad639b17e3eb866549e378301600a96fe793bd
-- accrete:object constraint "llm.providers.providers_api_key_source_check" before=absent after=f0a71459ad31dd4df5e23655fa13c58e4026d03bd866ddcd65f8bfe4bfd1e5a4
-- accrete:object constraint "llm.providers.providers_config_is_object" before=absent after=8b01cf1be233138c653459786f6e36ee8183d5ae02404b510a10e6907542e526
-- accrete:object constraint "llm.providers.providers_default_model_fk" before=absent after=ad2052003db1f77303b3df88d7f1df79d1ee0d8c946a21aafe728f9b8879b226
-- accrete:object constraint "llm.providers.providers_health_status_check" before=absent after=fc6f5d454cde85a0b490fb383a1121446d09a55081f6340a845999388f81b1f5
-- accrete:object constraint "llm.providers.providers_pkey" before=absent after=fae53d7f8c82d721ba338ad197d1628564bd121d989369e9258a6341acd50872
-- accrete:object constraint "llm.providers.providers_priority_check" before=absent after=e68254c4cdff0f68488c6a32049970ad4387ca7c10c1701a82c0c7f7a7f630a9
-- accrete:object constraint "llm.providers.providers_slug_format" before=absent after=f852eecda3a8e1fdb8c8d803d3aee45309e7a671f6e63119260be2fbf64d9bfe
-- accrete:object constraint "llm.providers.providers_slug_key" before=absent after=a033a54db6221ce2f20497d7ab9b4310238472ce5b6470803299f7263d271d1a
-- accrete:object constraint "llm.routing_rules.routing_rules_fallback_check" before=absent after=cf24c22179e823fa8cbcedcb7982be307609f52ecc8d248d8fc82d263625e388
-- accrete:object constraint "llm.routing_rules.routing_rules_fallback_model_id_fkey" before=absent after=bfa5cedc938be0138700dfc32f3cf033ac66699ff73f77d54eef66e43fa53607
-- accrete:object constraint "llm.routing_rules.routing_rules_model_id_fkey" before=absent after=ec62b492855997c9a769de249893b68d1446f982a7604c9b08551b1411e7e585
-- accrete:object constraint "llm.routing_rules.routing_rules_name_key" before=absent after=bf05b10b316785331783840e16e371d6f937be159e7b9ddbdbdd5a95231ab4e7
-- accrete:object constraint "llm.routing_rules.routing_rules_pkey" before=absent after=37fb988c86b1b7769219437db7d0745f906f2d7b780106502a7faf0cb312c542
-- accrete:object constraint "llm.routing_rules.routing_rules_power_level_check" before=absent after=e9b898eae1b1dc0178575abd149b974906a766634a84462fd1db4fee59e04334
-- accrete:object constraint "llm.routing_rules.routing_rules_weight_check" before=absent after=98f90e535c586efb98ec811255dbb32d3a7f950ab30aeb1c3185d5e885ab8e56
-- accrete:object constraint "llm.tier_model_rules.tier_model_rules_markup_check" before=absent after=c10642bcbdce5e32b0957b219d34f60fcb0b0f2d8f9ed10f25037bf732f3441f
-- accrete:object constraint "llm.tier_model_rules.tier_model_rules_pkey" before=absent after=19133f66580b6a018d3fb6b5b63d6b63668771dd93b25381de08fd27e0ae0bd6
-- accrete:object constraint "llm.tier_model_rules.tier_model_rules_requests_check" before=absent after=a968b63b5d48d037e812b20714a706edf3daf536dc18b2e29fdcec77033b86eb
-- accrete:object constraint "llm.tier_model_rules.tier_model_rules_tier_pattern_key" before=absent after=afe391f861ca5a8f35fe467e9901a9495df00c54bd28797f3134db6bbf6588d5
-- accrete:object constraint "llm.usage_logs.usage_logs_cost_check" before=absent after=7c5d5bdbae22d39cc63d3ec01f183e1c44a9c2044f2cf4823deae4df73141c75
-- accrete:object constraint "llm.usage_logs.usage_logs_deployment_id_fkey" before=absent after=e378f1b6f9e8f4fd3b74f9b67eb4fc490f8fe54471eddaf07df398079f638229
-- accrete:object constraint "llm.usage_logs.usage_logs_latency_check" before=absent after=729c61064b58c8f477731a9b63ba140d42b3f4fef0fa9a393cf8cd930b9e50ea
-- accrete:object constraint "llm.usage_logs.usage_logs_model_id_fkey" before=absent after=70e481d05ba7fdae68e77e0af59d3a629322e125643e6532df03a347e0c7fa3b
-- accrete:object constraint "llm.usage_logs.usage_logs_pkey" before=absent after=32dcd872b28c6536b4db892a796e4e700e4124329e1b993c9be95e3da444a418
-- accrete:object constraint "llm.usage_logs.usage_logs_provider_id_fkey" before=absent after=9c0760e95d6775877ecae3f45617f49cd04e960a0830183b34a41359133b52f4
-- accrete:object constraint "llm.usage_logs.usage_logs_request_id_key" before=absent after=be5252a89f68788bf77257f2523640d9e102f028af6ab2fa5afd2f84a0368c3e
-- accrete:object constraint "llm.usage_logs.usage_logs_server_id_fkey" before=absent after=f1abb7efbfecd1ea2b0d07171d5fad0fbb98d711ed8fd7b2ea0442af9c6dd093
-- accrete:object constraint "llm.usage_logs.usage_logs_tokens_check" before=absent after=d0e36b62d0d1c537e8d763e3169d42f2667cb51a52064a2058dcef03b19b8303
-- accrete:object constraint "llm.user_api_keys.user_api_keys_pkey" before=absent after=63059f551c8bfcc3569b371da5ced47bf8a5add9900fd8179a6b44b5eaa68cb4
-- accrete:object constraint "llm.user_api_keys.user_api_keys_provider_id_fkey" before=absent after=c80f4daff8e005de7c59cf9580703dfec2301e2d9d2e5e2dad02dd3b0dd33165
-- accrete:object index "audit.audit_log_actor_idx" before=absent after=489a0823481a52e7d96f705bf332026fe530bf95a052e26cf9b8a8f528aaa3c3
-- accrete:object index "audit.audit_log_details_idx" before=absent after=5976e84dc1dec667c3bef0f9cb2897c2ba850f6558ad3f8ad6de9d0561780425
-- accrete:object index "audit.audit_log_resource_idx" before=absent after=efec931352e0edd02a1000a5f06a87aaf9b2a818bb0ec2791aa5739ae81ddc6b
-- accrete:object index "llm.daily_cost_summary_provider_day_idx" before=absent after=a1d9b356f31ad1feaf1c7ecfb113505c1d8cf14790197c2e1dbe558b4e7e8538
-- accrete:object index "llm.installed_models_model_idx" before=absent after=c580d5b9647425824b3b9cfd9b70b1a4e213284e1c67dac39a3c083245990d1a
-- accrete:object index "llm.invoices_unpaid_idx" before=absent after=cc42fdf00bbfe3fe96c8316c45eacfce177a70b50e34eb1a66475d1d545fb05e
-- accrete:object index "llm.model_deployments_one_live_idx" before=absent after=9f61ec8c16bd109d77efaa7a3c4da52ba9a14e0762ece296aa2e02986ba0349a
-- accrete:object index "llm.model_deployments_server_status_idx" before=absent after=090afbe7b578b863a9244d63feddb7e83e072f9e4cf9b48485aed08828c442f8
-- accrete:object index "llm.model_permissions_subject_idx" before=absent after=78f4994e122d52b5e290dff20cc3e60b397ca1e65f5733bd72760d27132aa0fa
-- accrete:object index "llm.model_pricing_current_key" before=absent after=bda26288695712116df1e0c228981b9af96acacdda5b4b551a5fbde3652e0666
-- accrete:object index "llm.models_available_idx" before=absent after=15e135e77ca24b0a0d907ce04f9190af623c5ca0ce766a430dec7ea8d8b1b2b4
-- accrete:object index "llm.models_capabilities_idx" before=absent after=501dd59ae2c45cedea5dac1c6351bd5799af551d4224e1fd62dad02ea5a8a160
-- accrete:object index "llm.models_identifier_idx" before=absent after=f552647833983d5f6d8a51c345bf4dde6635fa7ba93cb38163557c86f3acd850
-- accrete:object index "llm.providers_enabled_priority_idx" before=absent after=6bdf8e80e8a3c2c293bf9f467b627c3f4ef80cf3bf1e6aacfd50a6601c26939a
-- accrete:object index "llm.providers_name_lower_key" before=absent after=5b2cc63ceba197b25e8f486ae3ba3f5c097d50cbaf3db898322971720af8831a
-- accrete:object index "llm.routing_rules_lookup_idx" before=absent after=505821e2a1d141fc6ab1a4311b4a1e7d8024913db6033fb1c6208eb3cec8edc8
-- accrete:object index "llm.tier_model_rules_lookup_idx" before=absent after=ad61b3bd032d972d76deb0f2085800a4221a87358d9083deb5b4fe7c5c2f7cdc
-- accrete:object index "llm.usage_logs_errors_idx" before=absent after=29a75dde81d83a1b476726b2da35b2ea8db4146d75ecd58b3ed2b5d7ed0cfa13
-- accrete:object index "llm.usage_logs_user_created_idx" before=absent after=9bbb89a6508a2a996136e0e680dc6f5607ea50a7cda7c2b84c29e04de1fa557f
-- accrete:object index "llm.usage_logs_utc_day_idx" before=absent after=2b385cbd13b281fcbf03ff7c4f9cc9710706d124ee685e4376da93ea6079d5d4
-- accrete:object index "llm.user_api_keys_active_key" before=absent after=4bbbb666d64951c3758d2c51fee0030857df80d94b98a3e24a239443e1955404
-- accrete:end
