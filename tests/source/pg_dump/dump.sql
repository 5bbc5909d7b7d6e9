\restrict Rx8kUa0pQ2
--
-- PostgreSQL database dump
--
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET client_min_messages = warning;

ALTER TABLE IF EXISTS ONLY public.film DROP CONSTRAINT IF EXISTS film_language_fk;
ALTER TABLE IF EXISTS ONLY public.language DROP CONSTRAINT IF EXISTS language_pkey;
ALTER TABLE IF EXISTS public.film ALTER COLUMN film_id DROP DEFAULT;
DROP TABLE IF EXISTS public.film;
DROP SEQUENCE IF EXISTS public.film_film_id_seq;
DROP TABLE IF EXISTS public.language;
DROP TYPE IF EXISTS public.mpaa_rating;

CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
ALTER TYPE public.mpaa_rating OWNER TO postgres_dump_owner;

CREATE TABLE public.language (language_id integer NOT NULL, name character(20) NOT NULL);
ALTER TABLE public.language OWNER TO postgres_dump_owner;

CREATE SEQUENCE public.film_film_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE TABLE public.film (film_id integer NOT NULL, title text NOT NULL, language_id integer NOT NULL,
    rating public.mpaa_rating DEFAULT 'G'::public.mpaa_rating);
ALTER SEQUENCE public.film_film_id_seq OWNED BY public.film.film_id;
ALTER TABLE ONLY public.film ALTER COLUMN film_id SET DEFAULT nextval('public.film_film_id_seq'::regclass);

COPY public.language (language_id, name) FROM stdin;
1	English
2	O'Brien's; tongue
\.

SELECT pg_catalog.setval('public.film_film_id_seq', 1, false);

ALTER TABLE ONLY public.language ADD CONSTRAINT language_pkey PRIMARY KEY (language_id);
ALTER TABLE ONLY public.film
    ADD CONSTRAINT film_language_fk FOREIGN KEY (language_id) REFERENCES public.language(language_id);
COMMENT ON TABLE public.film IS 'films';

\unrestrict Rx8kUa0pQ2
