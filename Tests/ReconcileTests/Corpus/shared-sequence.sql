--
-- Two tables that take their ids from one shared sequence while each still owns a sequence of its own
-- (travis-ci's builds and jobs share shared_builds_tasks_seq; written for reconcile's corpus, pg_dump 15
-- style). A column is serial only when its default draws from the sequence it owns, so these are plain
-- columns with a default; the sequences they own but do not use cannot be declared, and --export must
-- refuse the tables by name instead of exporting them as serial columns (which would make the copy draw
-- from builds_id_seq) or losing the owned sequences.
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET client_min_messages = warning;

CREATE SEQUENCE public.shared_builds_tasks_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE public.builds (
    id bigint DEFAULT nextval('public.shared_builds_tasks_seq'::regclass) NOT NULL,
    number character varying
);

CREATE SEQUENCE public.builds_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.builds_id_seq OWNED BY public.builds.id;

CREATE TABLE public.jobs (
    id bigint DEFAULT nextval('public.shared_builds_tasks_seq'::regclass) NOT NULL,
    build_id bigint
);

CREATE SEQUENCE public.jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.jobs_id_seq OWNED BY public.jobs.id;

ALTER TABLE ONLY public.builds
    ADD CONSTRAINT builds_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (id);
