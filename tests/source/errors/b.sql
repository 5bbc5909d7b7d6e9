GRANT SELECT ON public.a TO no_such_role_for_accrete;
CREATE TABLE public.d (id int REFERENCES public.nowhere (id));
