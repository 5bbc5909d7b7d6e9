CREATE TABLE public.a (id int);
CREATE TABLE public.b (id int CHECK (id >));
