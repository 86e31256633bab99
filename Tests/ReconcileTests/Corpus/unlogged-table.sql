--
-- An UNLOGGED table, as Oban's oban_peers is dumped (written for reconcile's corpus, pg_dump 16 style).
--

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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: oban_peers; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.oban_peers (
    name text NOT NULL,
    node text NOT NULL,
    started_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL
);


--
-- Name: page_hits; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.page_hits (
    id integer NOT NULL,
    path text NOT NULL
);


--
-- Name: page_hits_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.page_hits_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: page_hits_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.page_hits_id_seq OWNED BY public.page_hits.id;


--
-- Name: ticket_numbers; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE UNLOGGED SEQUENCE public.ticket_numbers
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: page_hits id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_hits ALTER COLUMN id SET DEFAULT nextval('public.page_hits_id_seq'::regclass);


ALTER TABLE ONLY public.oban_peers
    ADD CONSTRAINT oban_peers_pkey PRIMARY KEY (name);


--
-- Name: page_hits page_hits_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.page_hits
    ADD CONSTRAINT page_hits_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

