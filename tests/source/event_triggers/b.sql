CREATE FUNCTION public.guard() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'no DDL after the guard'; END $$;
CREATE TABLE public.after_guard (id int);
