--
-- A range-partitioned table with one partition, as Rails apps with time-series tables dump it (written
-- for reconcile's corpus, pg_dump 15 style).
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

CREATE TABLE public.page_views (
    id bigint NOT NULL,
    path text NOT NULL,
    viewed_on date NOT NULL
)
PARTITION BY RANGE (viewed_on);

CREATE TABLE public.page_views_2024 (
    id bigint NOT NULL,
    path text NOT NULL,
    viewed_on date NOT NULL
);

ALTER TABLE ONLY public.page_views ATTACH PARTITION public.page_views_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

ALTER TABLE ONLY public.page_views
    ADD CONSTRAINT page_views_pkey PRIMARY KEY (id, viewed_on);

ALTER TABLE ONLY public.page_views_2024
    ADD CONSTRAINT page_views_2024_pkey PRIMARY KEY (id, viewed_on);

ALTER INDEX public.page_views_pkey ATTACH PARTITION public.page_views_2024_pkey;

