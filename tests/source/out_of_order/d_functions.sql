CREATE FUNCTION app.next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
