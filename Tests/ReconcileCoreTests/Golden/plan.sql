BEGIN;
SET CONSTRAINTS ALL IMMEDIATE;

-- 1. create schema billing
CREATE SCHEMA IF NOT EXISTS "billing";

-- 2. billing.invoices: create table billing.invoices (2 columns)
CREATE TABLE IF NOT EXISTS "billing"."invoices" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "total" numeric(12,2) DEFAULT 0 NOT NULL,
    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- 3. public.accounts: add column plan text
ALTER TABLE "public"."accounts" ADD COLUMN IF NOT EXISTS "plan" text DEFAULT 'free' NOT NULL;

-- 4. public.accounts: make email NOT NULL
ALTER TABLE "public"."accounts" ALTER COLUMN "email" SET NOT NULL;

-- 5. public.accounts: create index accounts_email_idx
CREATE INDEX IF NOT EXISTS "accounts_email_idx" ON "public"."accounts" USING btree ("email");

-- 6. public.accounts: insert missing seeded row id=1
INSERT INTO "public"."accounts" ("id", "email")
VALUES (1, 'admin@example.com')
ON CONFLICT ("id") DO NOTHING;

COMMIT;
