#!/usr/bin/env bash
# Pre-deploy (release) command: bring the database up to the schema file before
# the new code starts. Heroku `release:`, Fly.io `release_command`, Render
# "Pre-Deploy Command", a Kubernetes Job, a deploy script's first step.
#
#   release.sh [EXTRA RECONCILE ARGS...]       e.g. release.sh --exclude 'public.schema_migrations'
#
# Runs, in one transaction that either completes or changes nothing:
#   reconcile --apply --schema $RECONCILE_SCHEMA --lock-timeout 3s --statement-timeout 5m --lock-wait 2m
# If RECONCILE_PLAN_FILE names an existing file (a plan saved with
# `reconcile --plan --out`, e.g. the one reviewed in the pull request), applies
# exactly that plan with --plan-file; reconcile refuses it as stale, changing
# nothing, if the database or the schema file is no longer what it was made from.
#
# The exit status is reconcile's: 0 applied (or nothing to do), non-zero on any
# error, which stops the release before code that needs the new schema goes live.
#
# Environment:
#   DATABASE_URL                 the database (reconcile reads it itself, so the
#                                password never appears in a process listing)
#   RECONCILE                    the reconcile binary (default: `reconcile` on PATH)
#   RECONCILE_SCHEMA             the schema file (default: schema.yaml)
#   RECONCILE_PLAN_FILE          a saved plan to apply instead of planning afresh
#   RECONCILE_LOCK_TIMEOUT       default 3s: a step that cannot get its table lock
#                                in time fails, instead of queueing the app's
#                                queries behind it
#   RECONCILE_STATEMENT_TIMEOUT  default 5m: the longest one statement may run
#   RECONCILE_LOCK_WAIT          default 2m: how long to wait for another
#                                reconcile --apply (a concurrent deploy) to finish
set -euo pipefail

prog=release
reconcile=${RECONCILE:-reconcile}
schema=${RECONCILE_SCHEMA:-schema.yaml}

args=(--apply --schema "$schema"
	--lock-timeout "${RECONCILE_LOCK_TIMEOUT:-3s}"
	--statement-timeout "${RECONCILE_STATEMENT_TIMEOUT:-5m}"
	--lock-wait "${RECONCILE_LOCK_WAIT:-2m}")

if [[ -n ${RECONCILE_PLAN_FILE:-} ]]; then
	if [[ -f $RECONCILE_PLAN_FILE ]]; then
		echo "$prog: applying the reviewed plan $RECONCILE_PLAN_FILE to match $schema" >&2
		args+=(--plan-file "$RECONCILE_PLAN_FILE")
	else
		echo "$prog: RECONCILE_PLAN_FILE=$RECONCILE_PLAN_FILE does not exist; applying $schema with a fresh plan" >&2
	fi
else
	echo "$prog: applying $schema" >&2
fi

# exec: reconcile's exit status is the release's, and signals reach it directly.
exec "$reconcile" "${args[@]}" "$@"
