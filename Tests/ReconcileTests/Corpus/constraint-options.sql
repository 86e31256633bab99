--
-- Constraint options as pg_dump 15 writes them (written for reconcile's corpus): deferrable and
-- initially deferred keys, MATCH FULL and composite foreign keys, UNIQUE NULLS NOT DISTINCT, NO INHERIT
-- and NOT VALID checks, a NOT VALID foreign key, and ON DELETE / ON UPDATE actions. pg_dump writes
-- NOT VALID constraints separately, after the tables, because inside CREATE TABLE they would be validated.
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
-- Name: rooms; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rooms (
    building character varying(8) NOT NULL,
    number integer NOT NULL,
    label text,
    floor smallint,
    seats integer DEFAULT 1 NOT NULL,
    CONSTRAINT rooms_number_check CHECK ((number > 0)) NO INHERIT,
    CONSTRAINT rooms_seats_positive CHECK ((seats > 0))
);


--
-- Name: bookings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bookings (
    id bigint NOT NULL,
    building character varying(8),
    room_number integer,
    booked_by bigint,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    external_ref text,
    CONSTRAINT bookings_period_check CHECK ((ends_at > starts_at))
);


--
-- Name: bookings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bookings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bookings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bookings_id_seq OWNED BY public.bookings.id;


--
-- Name: people; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.people (
    id bigint NOT NULL,
    email text,
    badge text,
    manager_id bigint
);


--
-- Name: people_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.people ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.people_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: bookings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings ALTER COLUMN id SET DEFAULT nextval('public.bookings_id_seq'::regclass);


--
-- Name: bookings bookings_external_ref_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_external_ref_key UNIQUE NULLS NOT DISTINCT (external_ref);


--
-- Name: bookings bookings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_pkey PRIMARY KEY (id) DEFERRABLE;


--
-- Name: people people_badge_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_badge_key UNIQUE (badge) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: people people_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_email_key UNIQUE (email);


--
-- Name: people people_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);


--
-- Name: rooms rooms_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rooms
    ADD CONSTRAINT rooms_pkey PRIMARY KEY (building, number);


--
-- Name: people people_email_lowercase; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.people
    ADD CONSTRAINT people_email_lowercase CHECK ((email = lower(email))) NOT VALID;


--
-- Name: rooms rooms_label_present; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.rooms
    ADD CONSTRAINT rooms_label_present CHECK ((label <> ''::text)) NO INHERIT NOT VALID;


--
-- Name: bookings bookings_booked_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_booked_by_fkey FOREIGN KEY (booked_by) REFERENCES public.people(id) ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE;


--
-- Name: bookings bookings_room_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_room_fkey FOREIGN KEY (building, room_number) REFERENCES public.rooms(building, number) MATCH FULL ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED;


--
-- Name: people people_manager_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.people
    ADD CONSTRAINT people_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES public.people(id) NOT VALID;


--
-- PostgreSQL database dump complete
--

