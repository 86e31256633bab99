--
-- A partitioned table whose partition has a primary key, an index, a check and a default of its own (as
-- sps-validator's dump has; written for reconcile's corpus, pg_dump 15 style). The schema file declares
-- what every partition shares, so --export must refuse the table by name instead of dropping these.
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET client_min_messages = warning;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE public.blocks (
    id integer NOT NULL,
    block_num integer NOT NULL,
    data text
)
PARTITION BY RANGE (block_num);

CREATE TABLE public.blocks_default (
    id integer NOT NULL,
    block_num integer NOT NULL,
    data text DEFAULT 'x'::text,
    CONSTRAINT blocks_default_id_check CHECK ((id > 0))
);

ALTER TABLE ONLY public.blocks ATTACH PARTITION public.blocks_default DEFAULT;

ALTER TABLE ONLY public.blocks_default
    ADD CONSTRAINT blocks_default_pkey PRIMARY KEY (id);

CREATE INDEX blocks_default_data_idx ON public.blocks_default USING btree (data);
