CREATE INDEX ON public.missing (id);
CREATE TABLE public.c (x int4 PRIMARY KEY);
