--
-- PostgreSQL database dump
--

-- Dumped from database version 15.8
-- Dumped by pg_dump version 15.8

-- Views and materialized views of an application's own (written for reconcile's corpus, pg_dump 15 style):
-- a join with an aggregate, a view on that view with a local check option, a security-barrier view in another
-- schema, a view calling a function of the application's, a materialized view with a unique index and a comment,
-- and one created WITH NO DATA that nobody refreshed yet.

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
-- Name: reporting; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA reporting;


--
-- Name: cents_to_euros(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.cents_to_euros(cents bigint) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$SELECT round(cents / 100.0, 2)$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: customers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text NOT NULL,
    country character varying(2)
);


--
-- Name: orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    status character varying(20) DEFAULT 'new'::character varying NOT NULL,
    total_cents bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: customer_totals; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.customer_totals AS
 SELECT c.id,
    c.name,
    count(o.id) AS orders,
    COALESCE(sum(o.total_cents), (0)::numeric) AS total_cents
   FROM (public.customers c
     LEFT JOIN public.orders o ON ((o.customer_id = c.id)))
  WHERE ((o.status)::text = ANY ((ARRAY['paid'::character varying, 'shipped'::character varying])::text[]))
  GROUP BY c.id, c.name;


--
-- Name: VIEW customer_totals; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.customer_totals IS 'Paid and shipped orders per customer.';


--
-- Name: COLUMN customer_totals.total_cents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.customer_totals.total_cents IS 'In euro cents, refunds not deducted.';


--
-- Name: big_customers; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.big_customers AS
 SELECT customer_totals.id,
    customer_totals.name,
    public.cents_to_euros((customer_totals.total_cents)::bigint) AS euros
   FROM public.customer_totals
  WHERE (customer_totals.total_cents > (100000)::numeric);


--
-- Name: daily_sales; Type: MATERIALIZED VIEW; Schema: public; Owner: -
--

CREATE MATERIALIZED VIEW public.daily_sales AS
 SELECT (orders.created_at)::date AS day,
    sum(orders.total_cents) AS total_cents
   FROM public.orders
  GROUP BY ((orders.created_at)::date)
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW daily_sales; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON MATERIALIZED VIEW public.daily_sales IS 'Refreshed every night.';


--
-- Name: COLUMN daily_sales.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.daily_sales.day IS 'UTC day.';


--
-- Name: new_orders; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.new_orders AS
 SELECT orders.id,
    orders.customer_id,
    orders.status
   FROM public.orders
  WHERE ((orders.status)::text = 'new'::text)
  WITH LOCAL CHECK OPTION;


--
-- Name: pending_export; Type: MATERIALIZED VIEW; Schema: public; Owner: -
--

CREATE MATERIALIZED VIEW public.pending_export AS
 SELECT orders.id
   FROM public.orders
  WHERE ((orders.status)::text = 'new'::text)
  WITH NO DATA;


--
-- Name: customer_countries; Type: VIEW; Schema: reporting; Owner: -
--

CREATE VIEW reporting.customer_countries WITH (security_barrier='true') AS
 SELECT customers.country,
    count(*) AS customers
   FROM public.customers
  GROUP BY customers.country;


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: daily_sales_day_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX daily_sales_day_idx ON public.daily_sales USING btree (day);


--
-- Name: orders orders_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);


--
-- Name: daily_sales; Type: MATERIALIZED VIEW DATA; Schema: public; Owner: -
--

REFRESH MATERIALIZED VIEW public.daily_sales;


--
-- PostgreSQL database dump complete
--
