--
-- Several schemas as pg_dump 16 writes them (written for reconcile's corpus): tables of the same name in
-- two schemas, enums outside public, foreign keys across schemas, a schema with no table, composite
-- keys, quoted identifiers, and comments on tables and columns.
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

--
-- Name: archive; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA archive;


--
-- Name: billing; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA billing;


--
-- Name: reporting; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA reporting;


--
-- Name: Sales Ops; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA "Sales Ops";


--
-- Name: invoice_state; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.invoice_state AS ENUM (
    'draft',
    'open',
    'paid',
    'void'
);


--
-- Name: tier; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.tier AS ENUM (
    'free',
    'team',
    'enterprise'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: invoices; Type: TABLE; Schema: archive; Owner: -
--

CREATE TABLE archive.invoices (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    archived_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    document jsonb NOT NULL
);


--
-- Name: TABLE invoices; Type: COMMENT; Schema: archive; Owner: -
--

COMMENT ON TABLE archive.invoices IS 'Invoices older than seven years, kept as documents';


--
-- Name: accounts; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.accounts (
    id bigint NOT NULL,
    organization_id bigint NOT NULL,
    tier public.tier DEFAULT 'free'::public.tier NOT NULL,
    balance numeric(14,2) DEFAULT 0 NOT NULL,
    credit_limit money DEFAULT '$0.00'::money,
    trial_length interval DEFAULT '14 days'::interval,
    created_on date DEFAULT CURRENT_DATE NOT NULL
);


--
-- Name: COLUMN accounts.balance; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON COLUMN billing.accounts.balance IS 'In the account''s currency; negative means credit';


--
-- Name: accounts_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.accounts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME billing.accounts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: invoices; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.invoices (
    account_id bigint NOT NULL,
    number integer NOT NULL,
    state billing.invoice_state DEFAULT 'draft'::billing.invoice_state NOT NULL,
    states_seen billing.invoice_state[] DEFAULT '{draft}'::billing.invoice_state[] NOT NULL,
    amount numeric(14,2) NOT NULL,
    issued_at timestamp(3) with time zone,
    CONSTRAINT invoices_amount_check CHECK ((amount >= (0)::numeric))
);


--
-- Name: invoice_lines; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.invoice_lines (
    account_id bigint NOT NULL,
    invoice_number integer NOT NULL,
    line smallint NOT NULL,
    description text NOT NULL,
    amount numeric(14,2) NOT NULL
);


--
-- Name: organizations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizations (
    id bigint NOT NULL,
    name text NOT NULL,
    "Display Name" text,
    domain character varying(253),
    settings jsonb DEFAULT '{"theme": "light"}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: COLUMN organizations."Display Name"; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations."Display Name" IS 'Shown in the header';


--
-- Name: organizations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.organizations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: organizations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.organizations_id_seq OWNED BY public.organizations.id;


--
-- Name: Leads; Type: TABLE; Schema: Sales Ops; Owner: -
--

CREATE TABLE "Sales Ops"."Leads" (
    id integer NOT NULL,
    "organizationId" bigint,
    "Score" smallint DEFAULT 0,
    "order" integer
);


--
-- Name: Leads_id_seq; Type: SEQUENCE; Schema: Sales Ops; Owner: -
--

CREATE SEQUENCE "Sales Ops"."Leads_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: Leads_id_seq; Type: SEQUENCE OWNED BY; Schema: Sales Ops; Owner: -
--

ALTER SEQUENCE "Sales Ops"."Leads_id_seq" OWNED BY "Sales Ops"."Leads".id;


--
-- Name: organizations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations ALTER COLUMN id SET DEFAULT nextval('public.organizations_id_seq'::regclass);


--
-- Name: Leads id; Type: DEFAULT; Schema: Sales Ops; Owner: -
--

ALTER TABLE ONLY "Sales Ops"."Leads" ALTER COLUMN id SET DEFAULT nextval('"Sales Ops"."Leads_id_seq"'::regclass);


--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: archive; Owner: -
--

ALTER TABLE ONLY archive.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: invoice_lines invoice_lines_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_pkey PRIMARY KEY (account_id, invoice_number, line);


--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (account_id, number);


--
-- Name: organizations organizations_domain_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_domain_key UNIQUE (domain);


--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_pkey PRIMARY KEY (id);


--
-- Name: Leads Leads_pkey; Type: CONSTRAINT; Schema: Sales Ops; Owner: -
--

ALTER TABLE ONLY "Sales Ops"."Leads"
    ADD CONSTRAINT "Leads_pkey" PRIMARY KEY (id);


--
-- Name: index_accounts_on_organization_id; Type: INDEX; Schema: billing; Owner: -
--

CREATE UNIQUE INDEX index_accounts_on_organization_id ON billing.accounts USING btree (organization_id);


--
-- Name: index_archive_invoices_on_account_id; Type: INDEX; Schema: archive; Owner: -
--

CREATE INDEX index_archive_invoices_on_account_id ON archive.invoices USING btree (account_id);


--
-- Name: index_invoices_open; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX index_invoices_open ON billing.invoices USING btree (account_id, issued_at) WHERE (state = 'open'::billing.invoice_state);


--
-- Name: Leads_Score_idx; Type: INDEX; Schema: Sales Ops; Owner: -
--

CREATE INDEX "Leads_Score_idx" ON "Sales Ops"."Leads" USING btree ("Score" DESC);


--
-- Name: invoices fk_rails_0a8d3c9e1b; Type: FK CONSTRAINT; Schema: archive; Owner: -
--

ALTER TABLE ONLY archive.invoices
    ADD CONSTRAINT fk_rails_0a8d3c9e1b FOREIGN KEY (account_id) REFERENCES billing.accounts(id);


--
-- Name: accounts fk_rails_5e2b7a0c44; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.accounts
    ADD CONSTRAINT fk_rails_5e2b7a0c44 FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: invoice_lines invoice_lines_invoice_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_invoice_fkey FOREIGN KEY (account_id, invoice_number) REFERENCES billing.invoices(account_id, number) ON DELETE CASCADE;


--
-- Name: invoices invoices_account_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_account_id_fkey FOREIGN KEY (account_id) REFERENCES billing.accounts(id);


--
-- Name: Leads Leads_organizationId_fkey; Type: FK CONSTRAINT; Schema: Sales Ops; Owner: -
--

ALTER TABLE ONLY "Sales Ops"."Leads"
    ADD CONSTRAINT "Leads_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES public.organizations(id) ON DELETE SET NULL;


--
-- PostgreSQL database dump complete
--

