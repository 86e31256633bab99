--
-- Columns with a compression method and a storage mode of their own (sps-validator compresses its block
-- data with lz4; written for reconcile's corpus, pg_dump 15 style). The copy must have them too: pg_dump
-- writes COMPRESSION inline and SET STORAGE as a statement.
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
    id bigint NOT NULL,
    block_num integer NOT NULL,
    data text COMPRESSION lz4,
    header bytea COMPRESSION pglz,
    raw bytea,
    summary text
);
ALTER TABLE ONLY public.blocks ALTER COLUMN raw SET STORAGE EXTERNAL;
ALTER TABLE ONLY public.blocks ALTER COLUMN summary SET STORAGE MAIN;

ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT blocks_pkey PRIMARY KEY (id);
