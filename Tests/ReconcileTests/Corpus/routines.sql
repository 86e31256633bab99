--
-- PostgreSQL database dump
--

-- Dumped from database version 15.8
-- Dumped by pg_dump version 15.8

-- Functions and procedures of an application's own around its tables (written for reconcile's corpus,
-- pg_dump 15 style, after the que job queue and Rails apps): a check constraint and an index calling SQL
-- functions, plpgsql with SECURITY DEFINER and a search_path setting, overloads, a procedure, OUT arguments,
-- RETURNS TABLE and SETOF with ROWS, a function taking a table's row type, comments, another schema; and
-- triggers: a NOTIFY trigger with a WHEN condition, updated_at maintenance, a tsvector_update_trigger with
-- arguments, a statement trigger with UPDATE OF columns and a comment.

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: util; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA util;


--
-- Name: que_validate_tags(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.que_validate_tags(tags_array jsonb) RETURNS boolean
    LANGUAGE sql
    AS $$
  SELECT bool_and(
    jsonb_typeof(value) = 'string'
    AND
    char_length(value::text) <= 100
  )
  FROM jsonb_array_elements(tags_array)
$$;


--
-- Name: que_job_notify(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.que_job_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
  BEGIN
    PERFORM pg_notify('que_jobs', NEW.id::text);
    RETURN null;
  END
$$;


--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: util; Owner: -
--

CREATE FUNCTION util.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: que_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.que_jobs (
    priority smallint DEFAULT 100 NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    id bigint NOT NULL,
    job_class text NOT NULL,
    error_count integer DEFAULT 0 NOT NULL,
    last_error_message text,
    queue text DEFAULT 'default'::text NOT NULL,
    finished_at timestamp with time zone,
    expired_at timestamp with time zone,
    args jsonb DEFAULT '[]'::jsonb NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    search tsvector,
    updated_at timestamp with time zone,
    CONSTRAINT valid_data CHECK (((jsonb_typeof(data) = 'object'::text) AND ((NOT (data ? 'tags'::text)) OR ((jsonb_typeof((data -> 'tags'::text)) = 'array'::text) AND (jsonb_array_length((data -> 'tags'::text)) <= 5) AND public.que_validate_tags((data -> 'tags'::text))))))
);


--
-- Name: TABLE que_jobs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.que_jobs IS '7';


--
-- Name: que_determine_job_state(public.que_jobs); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.que_determine_job_state(job public.que_jobs) RETURNS text
    LANGUAGE sql
    AS $$
  SELECT
    CASE
    WHEN job.expired_at  IS NOT NULL    THEN 'expired'
    WHEN job.finished_at IS NOT NULL    THEN 'finished'
    WHEN job.error_count > 0            THEN 'errored'
    WHEN job.run_at > CURRENT_TIMESTAMP THEN 'scheduled'
    ELSE                                     'ready'
    END
$$;


--
-- Name: array_initials(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.array_initials(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
  SELECT string_agg(left(string, 1), '' ORDER BY ordinality) FROM unnest($1) WITH ORDINALITY AS string;
$_$;


--
-- Name: lower(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.lower(text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
  SELECT array_agg(lower(value)) FROM unnest($1) value;
$_$;


--
-- Name: job_stats(text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.job_stats(queue_name text, lookback integer DEFAULT 7, OUT total bigint, OUT failed bigint) RETURNS record
    LANGUAGE sql STABLE STRICT
    AS $$
  SELECT count(*), count(*) FILTER (WHERE error_count > 0)
  FROM public.que_jobs
  WHERE queue = queue_name AND run_at > now() - make_interval(days => lookback)
$$;


--
-- Name: FUNCTION job_stats(queue_name text, lookback integer, OUT total bigint, OUT failed bigint); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.job_stats(queue_name text, lookback integer, OUT total bigint, OUT failed bigint) IS 'Counts of a queue''s recent jobs.';


--
-- Name: jobs_by_class(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.jobs_by_class(class_name text) RETURNS TABLE(id bigint, queue text)
    LANGUAGE sql STABLE ROWS 50
    AS $$
  SELECT id, queue FROM public.que_jobs WHERE job_class = class_name
$$;


--
-- Name: lock_job(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.lock_job(job_id bigint) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER COST 500
    SET search_path TO 'public', 'pg_temp'
    SET lock_timeout TO '2s'
    AS $$
DECLARE
  locked boolean;
BEGIN
  -- "Skip" a job someone else holds.
  SELECT pg_try_advisory_xact_lock(job_id) INTO locked;
  RETURN locked;
END;
$$;


--
-- Name: purge_finished(interval); Type: PROCEDURE; Schema: public; Owner: -
--

CREATE PROCEDURE public.purge_finished(IN older_than interval DEFAULT '30 days'::interval)
    LANGUAGE plpgsql
    AS $$
BEGIN
  DELETE FROM public.que_jobs WHERE finished_at < now() - older_than;
  COMMIT;
END
$$;


--
-- Name: slugify(text); Type: FUNCTION; Schema: util; Owner: -
--

CREATE FUNCTION util.slugify(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT LEAKPROOF
    AS $$ SELECT trim(both '-' from regexp_replace(lower(value), '[^a-z0-9]+', '-', 'g')) $$;


--
-- Name: que_jobs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.que_jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: que_jobs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.que_jobs_id_seq OWNED BY public.que_jobs.id;


--
-- Name: que_jobs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.que_jobs ALTER COLUMN id SET DEFAULT nextval('public.que_jobs_id_seq'::regclass);


--
-- Name: que_jobs que_jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.que_jobs
    ADD CONSTRAINT que_jobs_pkey PRIMARY KEY (id);


--
-- Name: que_jobs_class_slug; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX que_jobs_class_slug ON public.que_jobs USING btree (util.slugify(job_class));


--
-- Name: que_poll_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX que_poll_idx ON public.que_jobs USING btree (queue, priority, run_at, id) WHERE ((finished_at IS NULL) AND (expired_at IS NULL));


--
-- Name: que_jobs que_job_notify; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER que_job_notify AFTER INSERT ON public.que_jobs FOR EACH ROW WHEN ((NOT (COALESCE(current_setting('que.skip_notify'::text, true), ''::text) = 'true'::text))) EXECUTE FUNCTION public.que_job_notify();


--
-- Name: que_jobs que_jobs_search; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER que_jobs_search BEFORE INSERT OR UPDATE OF job_class, last_error_message ON public.que_jobs FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger('search', 'pg_catalog.english', 'job_class', 'last_error_message');


--
-- Name: que_jobs que_jobs_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER que_jobs_touch BEFORE UPDATE ON public.que_jobs FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();


--
-- Name: que_jobs que_jobs_truncated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER que_jobs_truncated AFTER TRUNCATE ON public.que_jobs FOR EACH STATEMENT EXECUTE FUNCTION public.que_job_notify();


--
-- Name: TRIGGER que_jobs_truncated ON que_jobs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER que_jobs_truncated ON public.que_jobs IS 'Wakes the workers.';


--
-- PostgreSQL database dump complete
--
